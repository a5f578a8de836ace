// Errors as values for the OT layer: the one status/result<T> of every layer
// (colead/status.hpp). Nothing in colead::ot throws for bad input; every function that can
// reject its input returns a `status` or a `result<T>`, with the codes invalid_op, too_large
// and bad_revision, each of which the room forwards as that wire error.
#pragma once

#include "colead/status.hpp"

namespace colead::ot {

using colead::error_code;
using colead::result;
using colead::status;
using colead::wire_name;

}  // namespace colead::ot
