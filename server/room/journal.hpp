// Where a room's changes go to become durable.
//
// The room applies a change in memory at once (so the next edit transforms against it) but
// tells nobody about it until the journal says it is durable: acknowledgements and
// broadcasts wait in the room's outbox, in order, behind the write they depend on.
//
// Thread safety: `save` is called on the room's strand; `then` must be called on the room's
// strand too, exactly once per save, and never from inside `save` itself.
#pragma once

#include <functional>

#include "store/status.hpp"
#include "store/write_batch.hpp"

namespace colead::room {

class journal {
 public:
  virtual ~journal() = default;

  // Makes `batch` durable, then calls `then` with the outcome.
  virtual void save(store::write_batch batch, std::function<void(store::status)> then) = 0;
};

}  // namespace colead::room
