// Stands in for Boost.Asio's own config header in the targets of layers that may not use
// Asio (ot, room, store): only net talks to sockets. See cmake/colead_layers.cmake.
#error "Boost.Asio is used by the net layer only (server/net); see docs/architecture.md"
