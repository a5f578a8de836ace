// The outcome of a client operation: the one status of every layer (colead/status.hpp). A
// failure has the code `failed` and a message a person can act on.
#pragma once

#include "colead/status.hpp"

namespace colead::client {

using colead::status;

}  // namespace colead::client
