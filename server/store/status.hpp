// Errors as values for the store: the one status/result<T> of every layer
// (colead/status.hpp). Nothing in colead::store throws across its interface; every operation
// that can fail returns a `status` or a `result<T>`. The room maps store failures onto wire
// errors: every code but not_found and already_exists means "the change was not saved"
// (INTERNAL to the author).
#pragma once

#include "colead/status.hpp"

namespace colead::store {

using colead::error_code;
using colead::result;
using colead::status;

}  // namespace colead::store
