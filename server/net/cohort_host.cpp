#include "net/cohort_host.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "net/room_host.hpp"
#include "room/programme_items.hpp"
#include "room/tokens.hpp"
#include "room/wire.hpp"

namespace colead::net {

room::cohort cohort_from_image(const store::cohort_image& image) {
  std::vector<room::facilitator_seat> facilitators;
  for (const auto& f : image.facilitators)
    facilitators.push_back({f.number, f.token_hash, f.name});
  std::vector<std::string> rooms;
  for (const auto& r : image.rooms)
    rooms.push_back(r.room_id);
  return room::cohort(image.cohort.id, image.cohort.title, std::move(facilitators),
                      std::move(rooms), image.items);
}

cohort_host::cohort_host(asio::io_context& ioc, cohort_registry& registry, room::cohort cohort)
    : id_(cohort.id()),
      registry_(registry),
      strand_(asio::make_strand(ioc)),
      cohort_(std::move(cohort)),
      programme_(std::make_shared<const v1::ProgrammeState>(cohort_.programme())) {}

std::shared_ptr<const v1::ProgrammeState> cohort_host::programme() const {
  std::lock_guard lock(programme_mutex_);
  return programme_;
}

cohort_host::viewer* cohort_host::find(const cohort_viewer* v) {
  for (auto& each : viewers_)
    if (each.key == v) return &each;
  return nullptr;
}

void cohort_host::gather() {
  for (const auto& room_id : cohort_.rooms())
    ask_room(room_id);
}

void cohort_host::ask_room(const std::string& room_id) {
  ++waiting_rooms_;
  auto host = registry_.rooms().find(room_id);
  if (!host) {
    answered();
    return;
  }
  host->post([self = shared_from_this()](room::room& r) {
    self->post([overview = r.overview()](cohort_host& c) mutable {
      c.room_changed(std::move(overview));
      c.answered();
    });
  });
}

void cohort_host::answered() {
  if (waiting_rooms_ > 0) --waiting_rooms_;
  if (waiting_rooms_ > 0) return;
  auto waiting = std::move(after_gather_);
  after_gather_.clear();
  for (auto& f : waiting)
    f();
}

void cohort_host::attach(const std::shared_ptr<cohort_viewer>& v) {
  viewers_.push_back(viewer{v, v.get()});
  // The first facilitator to come asks every room how it is doing (loading it); from then
  // on the rooms tell the cohort themselves.
  if (!gathered_) {
    gathered_ = true;
    gather();
  }
}

void cohort_host::detach(const cohort_viewer* v) {
  viewers_.erase(std::remove_if(viewers_.begin(), viewers_.end(),
                                [v](const viewer& each) { return each.key == v; }),
                 viewers_.end());
}

void cohort_host::send_error(const std::shared_ptr<cohort_viewer>& v, std::uint64_t req,
                             v1::Error::Code code, std::string message, bool fatal) {
  auto m = std::make_shared<v1::CohortServerMessage>();
  m->set_re(req);
  auto* e = m->mutable_error();
  e->set_code(code);
  e->set_message(std::move(message));
  e->set_fatal(fatal);
  v->send(std::move(m));
}

void cohort_host::reject(const std::shared_ptr<cohort_viewer>& v, std::uint64_t req,
                         v1::Error::Code code, std::string message) {
  send_error(v, req, code, std::move(message));
}

void cohort_host::broadcast(const v1::CohortServerMessage& message) {
  auto shared = std::make_shared<const v1::CohortServerMessage>(message);
  for (const auto& each : viewers_) {
    if (each.facilitator == 0) continue;
    if (auto v = each.v.lock()) v->send(shared);
  }
}

void cohort_host::handle(const std::shared_ptr<cohort_viewer>& v,
                         const v1::CohortClientMessage& message) {
  auto* me = find(v.get());
  if (me == nullptr) return;
  switch (message.kind_case()) {
    case v1::CohortClientMessage::kHello:
      if (me->facilitator != 0) {
        return send_error(v, message.req(), v1::Error::NOT_ALLOWED,
                          "this connection has already said hello; send it once per connection");
      }
      // While the rooms are still answering, the welcome waits for them.
      if (waiting_rooms_ > 0) {
        after_gather_.push_back(
            [this, v, req = message.req(), hello = message.hello()] { on_hello(v, req, hello); });
        return;
      }
      return on_hello(v, message.req(), message.hello());
    case v1::CohortClientMessage::kCommand:
    case v1::CohortClientMessage::kPing: {
      if (me->facilitator == 0) {
        return send_error(v, message.req(), v1::Error::NOT_JOINED,
                          "send hello with your facilitator token before anything else");
      }
      const auto* by = cohort_.facilitator(me->facilitator);
      if (by == nullptr || !room::same_hash(by->hash, me->hash)) {
        send_error(v, message.req(), v1::Error::UNAUTHORIZED,
                   "this facilitator link has been replaced; ask the organiser for the new one",
                   true);
        v->close({1008, "facilitator link replaced"});
        return;
      }
      if (message.has_ping()) {
        auto m = std::make_shared<v1::CohortServerMessage>();
        m->set_re(message.req());
        m->mutable_pong()->set_server_time_ms(registry_.time().wall_ms());
        return v->send(std::move(m));
      }
      return on_command(v, message.req(), message.command(), *by);
    }
    case v1::CohortClientMessage::KIND_NOT_SET:
      break;
  }
  send_error(v, message.req(), v1::Error::UNKNOWN_KIND, "the message names no kind");
}

void cohort_host::on_hello(const std::shared_ptr<cohort_viewer>& v, std::uint64_t req,
                           const v1::CohortHello& hello) {
  auto* me = find(v.get());
  if (me == nullptr) return;
  // Facilitators and rooms as stored now: a replaced token stops working at once.
  refresh();
  me = find(v.get());
  if (me == nullptr) return;
  const auto* who = cohort_.facilitator_for_token(hello.token());
  if (who == nullptr) {
    send_error(v, req, v1::Error::UNAUTHORIZED,
               "this facilitator link is not valid for this cohort; ask the organiser for yours",
               true);
    v->close({1008, "invalid facilitator token"});
    return;
  }
  me->facilitator = who->number;
  me->hash = who->hash;
  auto m = std::make_shared<v1::CohortServerMessage>();
  m->set_re(req);
  *m->mutable_welcome() =
      cohort_.welcome(*who, registry_.time().wall_ms(), registry_.time().scale());
  v->send(std::move(m));
  v->joined();
}

void cohort_host::refresh() {
  auto image = registry_.store().load_cohort(id_);
  if (!image) {
    spdlog::warn("cohort {}: cannot re-read its facilitators: {}", id_, image.error().message());
    return;
  }
  std::vector<room::facilitator_seat> facilitators;
  for (const auto& f : image->facilitators)
    facilitators.push_back({f.number, f.token_hash, f.name});
  std::vector<std::string> rooms;
  for (const auto& r : image->rooms)
    rooms.push_back(r.room_id);
  std::vector<std::string> added;
  for (const auto& r : rooms)
    if (!cohort_.has_room(r)) added.push_back(r);
  cohort_.reset(std::move(facilitators), std::move(rooms));
  for (const auto& r : added)
    ask_room(r);
  tell_rooms(added);
  // Connections of a token that no longer works close now.
  for (auto& each : viewers_) {
    if (each.facilitator == 0) continue;
    const auto* f = cohort_.facilitator(each.facilitator);
    if (f != nullptr && room::same_hash(f->hash, each.hash)) continue;
    each.facilitator = 0;
    if (auto v = each.v.lock()) {
      send_error(v, 0, v1::Error::UNAUTHORIZED,
                 "this facilitator link has been replaced; ask the organiser for the new one",
                 true);
      v->close({1008, "facilitator link replaced"});
    }
  }
}

void cohort_host::on_command(const std::shared_ptr<cohort_viewer>& v, std::uint64_t req,
                             const v1::FacilitatorCommand& command,
                             const room::facilitator_seat& by) {
  const auto now = registry_.time().wall_ms();
  auto plan = cohort_.plan(by, command, now, registry_.scripts(), [] { return room::make_id(); });
  if (!plan) return send_error(v, req, room::wire_code(plan.error()), plan.error().message());
  store::write_batch batch;
  for (const auto& item : plan->writes)
    batch.put_cohort_item(item);
  auto done = [self = shared_from_this(), weak = std::weak_ptr<cohort_viewer>(v), req,
               plan = std::move(plan.value())](store::status result) mutable {
    self->post([weak, req, plan = std::move(plan), result = std::move(result)](cohort_host& c) {
      auto v = weak.lock();
      if (!result) {
        spdlog::error("cohort {}: storing a facilitator's command failed: {}", c.id_,
                      result.message());
        if (v)
          c.send_error(v, req, v1::Error::INTERNAL, "the command could not be stored; try again");
        return;
      }
      if (c.cohort_.add_items(plan.writes)) c.programme_changed();
      for (const auto& [room_id, nudge] : plan.nudges) {
        auto host = c.registry_.rooms().find(room_id);
        if (!host) continue;
        host->post([nudge = nudge, cohort = c.id_](room::room& r) {
          // The cohort made the nudge, so a refusal is a bug worth a log line, not a reply.
          if (auto refused = r.facilitator_nudge(nudge); !refused) {
            spdlog::error("cohort {}: room {} refused a facilitator's nudge: {}", cohort,
                          r.model().id, refused.message());
          }
        });
      }
      if (v) {
        auto m = std::make_shared<v1::CohortServerMessage>();
        m->set_re(req);
        m->mutable_ack();
        v->send(std::move(m));
      }
    });
  };
  auto status = registry_.store().submit(std::move(batch), done);
  if (!status) done(std::move(status));
}

void cohort_host::programme_changed() {
  {
    std::lock_guard lock(programme_mutex_);
    programme_ = std::make_shared<const v1::ProgrammeState>(cohort_.programme());
  }
  v1::CohortServerMessage m;
  *m.mutable_programme() = room::view_for_facilitators(cohort_.programme());
  broadcast(m);
  tell_rooms(cohort_.rooms());
}

void cohort_host::tell_rooms(const std::vector<std::string>& room_ids) {
  auto full = programme();
  for (const auto& room_id : room_ids) {
    auto host = registry_.rooms().loaded(room_id);
    if (!host) continue;
    host->post([full](room::room& r) { r.programme_changed(*full); });
  }
}

void cohort_host::room_changed(v1::RoomOverview overview) {
  if (!cohort_.update_overview(overview)) return;
  v1::CohortServerMessage m;
  *m.mutable_room() = std::move(overview);
  broadcast(m);
}

void cohort_host::items_written(const std::vector<store::cohort_item_record>& items) {
  if (cohort_.add_items(items)) programme_changed();
}

// ---- the registry ------------------------------------------------------------------------

cohort_registry::cohort_registry(asio::io_context& ioc, store::store& store,
                                 const room::clock& clock,
                                 std::shared_ptr<const room::script_catalog> scripts)
    : ioc_(ioc),
      store_(store),
      clock_(clock),
      scripts_(scripts ? std::move(scripts)
                       : std::make_shared<const room::script_catalog>(
                             room::script_catalog::with_built_ins())) {}

std::shared_ptr<cohort_host> cohort_registry::find(const std::string& id, std::string* error) {
  std::lock_guard lock(mutex_);
  if (auto it = cohorts_.find(id); it != cohorts_.end()) return it->second;
  auto image = store_.load_cohort(id);
  if (!image) {
    if (image.error().code() != error_code::not_found) {
      spdlog::error("loading cohort {}: {}", id, image.error().message());
      if (error) *error = image.error().message();
    }
    return nullptr;
  }
  auto host = std::make_shared<cohort_host>(ioc_, *this, cohort_from_image(image.value()));
  cohorts_.emplace(id, host);
  return host;
}

std::shared_ptr<cohort_host> cohort_registry::loaded(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto it = cohorts_.find(id);
  return it == cohorts_.end() ? nullptr : it->second;
}

void cohort_registry::room_changed(const std::string& cohort_id, v1::RoomOverview overview) {
  auto host = loaded(cohort_id);
  if (!host) return;
  host->post([overview = std::move(overview)](cohort_host& c) mutable {
    c.room_changed(std::move(overview));
  });
}

void cohort_registry::items_written(const std::string& cohort_id,
                                    std::vector<store::cohort_item_record> items) {
  auto host = find(cohort_id);
  if (!host) return;
  host->post([items = std::move(items)](cohort_host& c) { c.items_written(items); });
}

void cohort_registry::rooms_attached(const std::string& cohort_id,
                                     std::vector<std::string> room_ids) {
  if (loaded(cohort_id)) return facilitators_changed(cohort_id);
  // Rooms loaded now learn their cohort at once; the others read it when they load.
  const bool any_loaded = std::any_of(room_ids.begin(), room_ids.end(), [&](const auto& id) {
    return rooms().loaded(id) != nullptr;
  });
  if (!any_loaded) return;
  auto host = find(cohort_id);
  if (!host) return;
  host->post([room_ids = std::move(room_ids)](cohort_host& c) { c.tell_rooms(room_ids); });
}

void cohort_registry::facilitators_changed(const std::string& cohort_id) {
  auto host = loaded(cohort_id);
  if (!host) return;
  host->post([](cohort_host& c) { c.refresh(); });
}

}  // namespace colead::net
