// Drives one cohort: owns its domain state (room/cohort.hpp) on its own strand, the
// facilitators' connections to it, and the wiring between it and its rooms.
//
// Rooms tell it how they are doing (room_host posts each changed overview through
// cohort_registry::room_changed) and what cohort items they wrote (room::cohort_link); it
// tells its rooms of every change of the programme (room::programme_changed) and hands them
// facilitators' messages and calls of time (room::facilitator_nudge). A facilitator's
// command is stored first and acknowledged, applied and sent on only once durable.
//
// Facilitators are read from the store at every hello, so a replaced token stops working at
// once; cohort_registry::facilitators_changed also closes the open connections of a token
// that no longer works.
//
// Thread safety: `post`, `id` and `programme` may be used from any thread; everything else
// runs on the strand.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "net/beast.hpp"
#include "room/clock.hpp"
#include "room/cohort.hpp"
#include "room/cohort_link.hpp"
#include "room/participant.hpp"
#include "store/store.hpp"

namespace colead::net {

class room_registry;
class cohort_registry;

// A facilitator's connection as the cohort sees it. Like room::participant: held weakly,
// called on the cohort's strand, hands the work to its own executor.
class cohort_viewer {
 public:
  virtual ~cohort_viewer() = default;
  // Queues `message` (shared by every facilitator it goes to).
  virtual void send(std::shared_ptr<const v1::CohortServerMessage> message) = 0;
  // Closes the connection after what was queued.
  virtual void close(room::close_reason reason) = 0;
  // The hello succeeded (the hello deadline no longer applies).
  virtual void joined() {}
};

class cohort_host : public std::enable_shared_from_this<cohort_host> {
 public:
  cohort_host(asio::io_context& ioc, cohort_registry& registry, room::cohort cohort);
  cohort_host(const cohort_host&) = delete;
  cohort_host& operator=(const cohort_host&) = delete;

  const std::string& id() const { return id_; }

  // Runs `f(host)` on the cohort's strand.
  template <typename F>
  void post(F&& f) {
    asio::post(strand_,
               [self = shared_from_this(), f = std::forward<F>(f)]() mutable { f(*self); });
  }

  // The cohort's whole programme as it stands (a room loading takes its view of it).
  std::shared_ptr<const v1::ProgrammeState> programme() const;

  // ---- on the strand
  // A connection opened; it must say hello first. The first one asks every room of the
  // cohort how it is doing, and hellos wait for the answers.
  void attach(const std::shared_ptr<cohort_viewer>& v);
  void detach(const cohort_viewer* v);
  void handle(const std::shared_ptr<cohort_viewer>& v, const v1::CohortClientMessage& message);
  // Answers a message the session could not take (BAD_FRAME, TOO_LARGE, RATE_LIMITED).
  void reject(const std::shared_ptr<cohort_viewer>& v, std::uint64_t req, v1::Error::Code code,
              std::string message);
  void room_changed(v1::RoomOverview overview);
  void items_written(const std::vector<store::cohort_item_record>& items);
  // Re-reads facilitators and rooms; closes connections whose token no longer works. Rooms
  // new to the cohort are asked for their overview and told their programme.
  void refresh();
  // Gives these rooms, if loaded, the cohort's programme (and so their cohort).
  void tell_rooms(const std::vector<std::string>& room_ids);

 private:
  struct viewer {
    std::weak_ptr<cohort_viewer> v;  // held weakly: the session holds the host
    const cohort_viewer* key;        // which session (never dereferenced)
    std::uint32_t facilitator = 0;   // 0 until hello succeeds
    room::token_hash hash{};         // the token it joined with
  };
  viewer* find(const cohort_viewer* v);
  void on_hello(const std::shared_ptr<cohort_viewer>& v, std::uint64_t req,
                const v1::CohortHello& hello);
  void on_command(const std::shared_ptr<cohort_viewer>& v, std::uint64_t req,
                  const v1::FacilitatorCommand& command, const room::facilitator_seat& by);
  void send_error(const std::shared_ptr<cohort_viewer>& v, std::uint64_t req, v1::Error::Code code,
                  std::string message, bool fatal = false);
  void broadcast(const v1::CohortServerMessage& message);
  // Tells facilitators and loaded rooms that the programme changed.
  void programme_changed();
  void gather();
  void ask_room(const std::string& room_id);
  void answered();

  const std::string id_;
  cohort_registry& registry_;
  asio::strand<asio::io_context::executor_type> strand_;
  room::cohort cohort_;            // guarded by strand_
  std::vector<viewer> viewers_;    // guarded by strand_
  bool gathered_ = false;          // every room was asked once; guarded by strand_
  std::size_t waiting_rooms_ = 0;  // rooms asked and not yet answered; guarded by strand_
  std::vector<std::function<void()>> after_gather_;  // hellos waiting; guarded by strand_
  mutable std::mutex programme_mutex_;
  std::shared_ptr<const v1::ProgrammeState> programme_;  // guarded by programme_mutex_
};

// Every cohort this server has loaded, by id. The cohort link of every room.
// Thread safety: all members may be called from any thread.
class cohort_registry final : public room::cohort_link {
 public:
  cohort_registry(asio::io_context& ioc, store::store& store, const room::clock& clock,
                  std::shared_ptr<const room::script_catalog> scripts);

  // The rooms the cohorts reach; set once before serving.
  void serve_rooms(room_registry& rooms) { rooms_ = &rooms; }

  // The cohort with this id, loaded from the store if needed; null when there is none (with
  // `error` set when it could not be loaded).
  std::shared_ptr<cohort_host> find(const std::string& id, std::string* error = nullptr);
  // The cohort if loaded now, else null.
  std::shared_ptr<cohort_host> loaded(const std::string& id);

  // A room of `cohort_id` changed how it is doing (dropped when nobody watches the cohort).
  void room_changed(const std::string& cohort_id, v1::RoomOverview overview);
  // room::cohort_link.
  void items_written(const std::string& cohort_id,
                     std::vector<store::cohort_item_record> items) override;
  // The cohort's facilitators or rooms changed in the store (a token replaced, a facilitator
  // added, a room attached): open connections of a replaced token are closed.
  void facilitators_changed(const std::string& cohort_id);
  // Existing rooms were attached to the cohort: loaded ones learn it at once.
  void rooms_attached(const std::string& cohort_id, std::vector<std::string> room_ids);

  store::store& store() { return store_; }
  room_registry& rooms() { return *rooms_; }
  const room::clock& time() const { return clock_; }
  const room::script_catalog& scripts() const { return *scripts_; }

 private:
  asio::io_context& ioc_;
  store::store& store_;
  const room::clock& clock_;
  std::shared_ptr<const room::script_catalog> scripts_;
  room_registry* rooms_ = nullptr;  // set before serving
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<cohort_host>> cohorts_;  // guarded by mutex_
};

// The cohort domain built from what the store keeps.
room::cohort cohort_from_image(const store::cohort_image& image);

}  // namespace colead::net
