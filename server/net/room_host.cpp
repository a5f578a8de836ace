#include "net/room_host.hpp"

#include <spdlog/spdlog.h>

#include "net/cohort_host.hpp"
#include "room/documents_feature.hpp"
#include "room/room_records.hpp"

namespace colead::net {

namespace {

// How long an idle room stays loaded, so a member reconnecting does not reload it.
constexpr auto idle_unload_after = std::chrono::seconds(60);

}  // namespace

server_clock::server_clock(double scale)
    : origin_(std::chrono::steady_clock::now()), scale_(scale > 0 ? scale : 1.0) {}

std::int64_t server_clock::now_ms() const {
  auto real = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - origin_);
  return static_cast<std::int64_t>(real.count() * scale_);
}

std::int64_t server_clock::wall_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

room_host::room_host(asio::io_context& ioc, room_registry& registry, store::store& store,
                     room::room_model model, const room::clock& clock,
                     const room::room_options& options)
    : id_(model.id),
      registry_(registry),
      store_(store),
      strand_(asio::make_strand(ioc)),
      room_(std::move(model), clock, *this, options),
      timer_(strand_),
      idle_timer_(strand_),
      clock_(clock) {}

void room_host::save(store::write_batch batch, std::function<void(store::status)> then) {
  auto self = shared_from_this();
  auto status = store_.submit(std::move(batch), [self, then](store::status result) mutable {
    // The store calls back on its writer thread; the room lives on its strand.
    asio::post(self->strand_, [self, then = std::move(then), result = std::move(result)]() mutable {
      then(std::move(result));
      self->after_task();
    });
  });
  if (!status) {
    asio::post(strand_, [self, then = std::move(then), status = std::move(status)]() mutable {
      then(std::move(status));
      self->after_task();
    });
  }
}

void room_host::after_task() {
  rearm();
  // A room in a cohort tells it how it is doing, only when that may have changed: an edit
  // that changes nothing else costs one comparison here.
  if (room_.overview_generation() != overview_sent_ && !room_.model().cohort_id.empty()) {
    overview_sent_ = room_.overview_generation();
    if (auto* cohorts = registry_.cohorts()) {
      cohorts->room_changed(room_.model().cohort_id, room_.overview());
    }
  }
  if (room_.state().erase_due && !erased_) {
    erased_ = true;
    // Blocks this strand until the store has erased every byte of the room; nothing else
    // of the room is left to do.
    auto status = store_.erase_room(id_);
    if (!status && status.code() != store::error_code::not_found) {
      spdlog::error("erasing room {} failed: {}", id_, status.message());
    } else {
      spdlog::info("room {} erased", id_);
    }
    registry_.unload(this, true);
    return;
  }
  if (room_.state().broken) {
    registry_.unload(this, true);
    return;
  }
  if (!room_.state().idle || idle_pending_) return;
  idle_pending_ = true;
  idle_timer_.expires_after(idle_unload_after);
  idle_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    self->idle_pending_ = false;
    if (ec) return;
    if (self->room_.state().idle) self->registry_.unload(self.get(), false);
  });
}

void room_host::rearm() {
  auto deadline = room_.next_deadline();
  if (deadline == armed_for_) return;
  armed_for_ = deadline;
  if (!deadline) {
    timer_.cancel();
    return;
  }
  // Room time runs `scale` times faster than the steady clock the timer uses.
  double wait_ms =
      std::max<double>(0, static_cast<double>(*deadline - clock_.now_ms())) / clock_.scale();
  timer_.expires_after(std::chrono::microseconds(static_cast<std::int64_t>(wait_ms * 1000)));
  timer_.async_wait([self = shared_from_this()](beast::error_code ec) { self->on_timer(ec); });
}

void room_host::on_timer(beast::error_code ec) {
  if (ec == asio::error::operation_aborted) return;
  armed_for_.reset();
  room_.on_timer();
  after_task();
}

room_registry::room_registry(asio::io_context& ioc, const room::clock& clock, store::store& store,
                             room::room_options options)
    : ioc_(ioc), clock_(clock), store_(store), options_(options) {}

std::shared_ptr<room_host> room_registry::lease(const std::shared_ptr<room_host>& host) {
  // A lease is a shared_ptr to a small holder that keeps the host and counts itself; the
  // aliasing constructor hands it out as a plain room_host pointer.
  struct holder {
    std::shared_ptr<room_host> host;
    ~holder() { host->leases.fetch_sub(1); }
  };
  host->leases.fetch_add(1);
  auto h = std::make_shared<holder>(holder{host});
  return std::shared_ptr<room_host>(h, h->host.get());
}

void room_registry::create(std::string title, unsigned seats, bool facilitator_seat,
                           created_fn done) {
  auto made = std::make_shared<room::new_room>(
      room::make_room(std::move(title), seats, clock_,
                      room::documents_feature::document_options(options_), facilitator_seat));
  auto batch = room::creation_batch(made->model, clock_.wall_ms());
  auto status = store_.submit(std::move(batch), [this, made, done](store::status result) {
    if (!result) return done(nullptr, {}, std::move(result));
    auto host =
        std::make_shared<room_host>(ioc_, *this, store_, std::move(made->model), clock_, options_);
    std::shared_ptr<room_host> leased;
    {
      std::lock_guard lock(mutex_);
      rooms_.emplace(host->id(), host);
      leased = lease(host);
    }
    done(std::move(leased), std::move(made->tokens), store::status::ok());
  });
  if (!status) done(nullptr, {}, std::move(status));
}

std::shared_ptr<room_host> room_registry::find(const std::string& id, std::string* error) {
  std::lock_guard lock(mutex_);
  if (auto it = rooms_.find(id); it != rooms_.end()) return lease(it->second);
  // Loading under the lock keeps two sessions from loading the same room twice; it is a
  // few indexed reads, and rooms load once per quiet period.
  auto image = store_.load_room(id);
  if (!image) {
    if (image.error().code() != store::error_code::not_found) {
      spdlog::error("loading room {}: {}", id, image.error().message());
      if (error) *error = image.error().message();
    }
    return nullptr;
  }
  room::room_model model;
  std::string why;
  if (!room::model_from_image(image.value(), room::documents_feature::document_options(options_),
                              model, why)) {
    spdlog::error("room {} cannot be loaded: {}", id, why);
    if (error) *error = why;
    return nullptr;
  }
  auto cohort = store_.cohort_of_room(id);
  if (!cohort) {
    spdlog::error("room {}: cannot read its cohort: {}", id, cohort.error().message());
    if (error) *error = cohort.error().message();
    return nullptr;
  }
  if (cohort.value()) model.cohort_id = *cohort.value();
  auto host = std::make_shared<room_host>(ioc_, *this, store_, std::move(model), clock_, options_);
  // First on the strand, before whatever the caller posts: a meeting the last stop ended, a
  // consult it stopped.
  host->post([](room::room& r) { r.save_restored_items(); });
  // Then the programme of its cohort, so a member's welcome already holds it.
  if (cohort.value() && cohorts_) {
    if (auto c = cohorts_->find(*cohort.value())) {
      host->post([programme = c->programme()](room::room& r) { r.programme_changed(*programme); });
    }
  }
  rooms_.emplace(id, host);
  return lease(host);
}

std::shared_ptr<room_host> room_registry::loaded(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto it = rooms_.find(id);
  return it == rooms_.end() ? nullptr : lease(it->second);
}

void room_registry::unload(const room_host* host, bool force) {
  std::lock_guard lock(mutex_);
  auto it = rooms_.find(host->id());
  if (it == rooms_.end() || it->second.get() != host) return;
  if (!force && host->leases.load() > 0) return;
  rooms_.erase(it);
}

std::size_t room_registry::size() const {
  std::lock_guard lock(mutex_);
  return rooms_.size();
}

std::vector<std::shared_ptr<room_host>> room_registry::all() {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<room_host>> out;
  out.reserve(rooms_.size());
  for (auto& [id, host] : rooms_)
    out.push_back(lease(host));
  return out;
}

}  // namespace colead::net
