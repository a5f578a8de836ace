// Stands in for Boost.Beast's own config header in the targets of layers that may not use
// Beast (ot, room, store): only net talks to sockets. See cmake/colead_layers.cmake.
#error "Boost.Beast is used by the net layer only (server/net); see docs/architecture.md"
