#include "driver.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <utility>  // before Asio: Boost 1.74 uses std::exchange without it

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <deque>
#include <optional>
#include <random>
#include <thread>
#include <unordered_map>

#include "client/shared_document.hpp"
#include "codec.hpp"
#include "ot/utf8.hpp"

namespace colead::loadgen {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using clock_type = std::chrono::steady_clock;

namespace {

constexpr std::size_t max_error_samples = 8;
// Above this many characters a member deletes instead of inserting, so a long run keeps the
// document the size of a real one (and below the server's --max-doc-chars).
constexpr std::size_t doc_cap = 2000;
// The relay's stand-in for a document id, as long as the server's ids are.
constexpr const char* relay_doc = "purpose";
constexpr const char* letters = "abcdefghijklmnopqrstuvwxyz     ";

std::int64_t micros_between(clock_type::time_point from, clock_type::time_point to) {
  return std::chrono::duration_cast<std::chrono::microseconds>(to - from).count();
}

}  // namespace

struct driver::shared {
  options opts;
  std::atomic<int> current{static_cast<int>(phase::connecting)};
  phase now() const { return static_cast<phase>(current.load(std::memory_order_relaxed)); }
};

namespace {

struct member;

// An edit on its way: when it left, and how many of the room's other members have it.
struct in_flight_edit {
  clock_type::time_point sent;
  int receipts = 0;
  int expected = 0;    // the room's other joined members when it was sent
  bool acked = false;  // always true for the relay, which does not acknowledge
  bool in_window = false;
};

struct room_state {
  room_spec spec;
  int joined = 0;
};

}  // namespace

struct driver::worker {
  worker(driver::shared& s, std::uint64_t seed) : sh(s), rng(seed) {}

  driver::shared& sh;
  asio::io_context io{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> guard;
  std::thread thread;
  std::mt19937_64 rng;
  std::deque<room_state> rooms;
  std::vector<std::shared_ptr<member>> members;
  std::size_t next_to_connect = 0;
  int connecting = 0;
  int connect_limit = 1;
  std::unordered_map<std::string, in_flight_edit> flying;
  v1::ServerMessage server_scratch;
  v1::ClientMessage client_scratch;

  std::atomic<long> joined{0};
  std::atomic<long> failed{0};
  std::atomic<std::size_t> flying_count{0};
  std::atomic<std::uint64_t> disconnects{0};
  std::atomic<std::uint64_t> errors{0};
  run_totals totals;  // owned by the loop's thread until it has stopped

  void error(std::string what) {
    errors.fetch_add(1, std::memory_order_relaxed);
    if (totals.error_samples.size() < max_error_samples) {
      totals.error_samples.push_back(std::move(what));
    }
  }
  bool window() const { return sh.now() == phase::measure; }
  void connect_more();
  void sent(const std::string& edit_id, int expected, bool relay);
  void received(const std::string& edit_id, clock_type::time_point at);
  void acknowledged(const std::string& edit_id, clock_type::time_point at);
  void settle(std::unordered_map<std::string, in_flight_edit>::iterator it);
};

namespace {

struct member : std::enable_shared_from_this<member> {
  member(driver::worker& w, room_state& r, int s, std::string id, tcp::endpoint to,
         asio::ip::address from)
      : owner(w),
        room(r),
        seat(s),
        client_id(std::move(id)),
        server(to),
        source(from),
        ws(w.io),
        timer(w.io) {}

  driver::worker& owner;
  room_state& room;
  int seat;
  std::string client_id;
  tcp::endpoint server;
  asio::ip::address source;
  websocket::stream<tcp::socket> ws;
  websocket::response_type answer;
  beast::flat_buffer in;
  std::deque<std::string> out;
  asio::steady_timer timer;
  clock_type::time_point next_tick;
  std::optional<client::shared_document> doc;
  bool open = false;
  bool joined = false;
  bool closing = false;
  std::uint64_t next_req = 1;
  // The relay's stand-in for a document: its length and the caret.
  std::uint64_t relay_edits = 0;
  std::size_t relay_length = 0;
  std::size_t relay_caret = 0;

  const options& opts() const { return owner.sh.opts; }

  void connect() {
    auto& socket = ws.next_layer();
    beast::error_code ec;
    socket.open(server.protocol(), ec);
    if (!ec && !source.is_unspecified()) {
      // Many connections from a few loopback addresses: the port is picked at connect, per
      // destination, so one address is not limited to one ephemeral range.
      int yes = 1;
      ::setsockopt(socket.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &yes, sizeof yes);
      socket.bind(tcp::endpoint(source, 0), ec);
    }
    if (ec) return fail("cannot open a socket: " + ec.message());
    socket.async_connect(server, [self = shared_from_this()](beast::error_code e) {
      if (e) return self->fail("cannot connect: " + e.message());
      self->ws.next_layer().set_option(tcp::no_delay(true));
      self->handshake();
    });
  }

  void handshake() {
    ws.set_option(websocket::stream_base::timeout{std::chrono::seconds(30),
                                                  websocket::stream_base::none(), false});
    ws.set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
      req.set(http::field::sec_websocket_protocol, std::string(protocol::binary_subprotocol));
    }));
    ws.binary(true);
    std::string host = server.address().to_string() + ":" + std::to_string(server.port());
    if (server.address().is_v6())
      host = "[" + server.address().to_string() + "]:" + std::to_string(server.port());
    ws.async_handshake(
        answer, host, "/ws/" + room.spec.id, [self = shared_from_this()](beast::error_code e) {
          if (e) return self->fail("WebSocket upgrade refused: " + e.message());
          auto chosen = self->answer[http::field::sec_websocket_protocol];
          if (std::string_view(chosen.data(), chosen.size()) != protocol::binary_subprotocol) {
            return self->fail("the server did not pick colead.v1.proto");
          }
          self->open = true;
          self->read();
          if (self->opts().relay) return self->on_joined();
          self->hello();
        });
  }

  void hello() {
    v1::ClientMessage m;
    m.set_req(next_req++);
    auto* h = m.mutable_hello();
    h->set_token(room.spec.tokens.at(static_cast<std::size_t>(seat)));
    h->set_name("Member " + std::to_string(seat + 1));
    h->set_client_id(client_id);
    send(protocol::encode(m, protocol::encoding::binary));
  }

  void on_joined() {
    joined = true;
    ++room.joined;
    owner.joined.fetch_add(1, std::memory_order_relaxed);
    --owner.connecting;
    owner.connect_more();
  }

  void fail(std::string why) {
    if (!joined && !closing) {
      owner.failed.fetch_add(1, std::memory_order_relaxed);
      owner.error("room " + room.spec.id + " seat " + std::to_string(seat + 1) + ": " + why);
      --owner.connecting;
      closing = true;
      beast::error_code ignored;
      ws.next_layer().close(ignored);
      owner.connect_more();
    }
  }

  void read() {
    ws.async_read(
        in, [self = shared_from_this()](beast::error_code e, std::size_t) { self->on_frame(e); });
  }

  void on_frame(beast::error_code e) {
    auto at = clock_type::now();
    if (e) {
      open = false;
      timer.cancel();
      if (closing) return;
      if (!joined) return fail("closed before joining: " + e.message());
      owner.disconnects.fetch_add(1, std::memory_order_relaxed);
      std::string why = e.message();
      if (ws.reason().code != 0) {
        why = "closed " + std::to_string(ws.reason().code) + " " +
              std::string(ws.reason().reason.data(), ws.reason().reason.size());
      }
      owner.error("room " + room.spec.id + " seat " + std::to_string(seat + 1) + ": " + why);
      return;
    }
    auto data = in.cdata();
    std::string_view frame(static_cast<const char*>(data.data()), data.size());
    if (opts().relay) {
      on_relayed(frame, at);
    } else {
      on_server_message(frame, at);
    }
    in.consume(in.size());
    read();
  }

  void on_relayed(std::string_view frame, clock_type::time_point at) {
    auto& m = owner.client_scratch;
    if (!m.ParseFromArray(frame.data(), static_cast<int>(frame.size())) || !m.has_edit()) {
      return owner.error("the relay forwarded a frame that is not an edit");
    }
    owner.received(m.edit().edit_id(), at);
  }

  void on_server_message(std::string_view frame, clock_type::time_point at) {
    auto& m = owner.server_scratch;
    if (!m.ParseFromArray(frame.data(), static_cast<int>(frame.size()))) {
      return owner.error("a frame from the server does not decode");
    }
    if (m.has_welcome()) return on_welcome(m.welcome());
    if (m.has_error()) {
      owner.error(v1::Error_Code_Name(m.error().code()) + ": " + m.error().message());
      return;
    }
    if (!doc) return;
    if (m.has_applied()) {
      owner.received(m.applied().edit_id(), at);
    } else if (m.has_ack()) {
      owner.acknowledged(m.ack().edit_id(), at);
    } else {
      return;
    }
    auto next = doc->receive(m);
    if (!next)
      return owner.error("the server's edits do not fit the replica: " + next.error().to_string());
    if (next.value()) send_edit(*next.value());
  }

  void on_welcome(const v1::Welcome& welcome) {
    if (doc) return;
    if (welcome.room().docs_size() == 0) return fail("the room has no document");
    const auto& state = welcome.room().docs(0);
    doc.emplace(state.id(), client_id);
    (void)doc->welcome(state);  // a first welcome: nothing to resend
    doc->place_caret(ot::utf8::count_code_points(doc->text()));
    on_joined();
  }

  void start_typing() {
    if (!joined) return;
    std::uniform_real_distribution<double> first(0, 1.0 / opts().rate);
    next_tick = clock_type::now() + std::chrono::duration_cast<clock_type::duration>(
                                        std::chrono::duration<double>(first(owner.rng)));
    schedule();
  }

  void schedule() {
    timer.expires_at(next_tick);
    timer.async_wait([self = shared_from_this()](beast::error_code e) {
      if (e || !self->open) return;
      self->tick();
    });
  }

  void tick() {
    auto p = owner.sh.now();
    if (p != phase::warmup && p != phase::measure) return;
    type_one();
    std::uniform_real_distribution<double> jitter(0.5, 1.5);
    auto gap = std::chrono::duration_cast<clock_type::duration>(
        std::chrono::duration<double>(jitter(owner.rng) / opts().rate));
    next_tick += gap;
    auto now = clock_type::now();
    if (next_tick + std::chrono::seconds(1) < now) next_tick = now;  // far behind: no burst
    schedule();
  }

  // One person's keystroke burst: a few letters at the caret, or a backspace or two.
  void type_one() {
    auto& rng = owner.rng;
    std::size_t length = opts().relay ? relay_length : ot::utf8::count_code_points(doc->text());
    std::size_t caret = opts().relay ? relay_caret : doc->caret();
    bool over = length > doc_cap;
    bool remove = over || (static_cast<int>(rng() % 100) < opts().delete_percent && length > 0);
    if (remove && caret == 0) caret = length;
    if (!remove && rng() % 20 == 0) caret = rng() % (length + 1);  // moves to another spot
    ot::text_operation op;
    if (remove) {
      std::size_t n = std::min<std::size_t>(caret, over ? 1 + rng() % 8 : 1 + rng() % 3);
      op.retain(caret - n).remove(n).retain(length - caret);
    } else {
      std::string text(1 + rng() % 8, ' ');
      for (auto& c : text)
        c = letters[rng() % 31];
      op.retain(caret).insert(text).retain(length - caret);
    }
    if (owner.window()) ++owner.totals.typed;
    if (opts().relay) return relay_edit(op, caret);
    doc->place_caret(caret);
    auto result = doc->edit(op);
    if (!result) return owner.error("a local edit does not fit: " + result.error().to_string());
    if (result.value()) send_edit(*result.value());
  }

  void relay_edit(const ot::text_operation& op, std::size_t caret) {
    auto& m = owner.client_scratch;
    m.Clear();
    m.set_req(next_req++);
    auto* e = m.mutable_edit();
    e->set_doc(relay_doc);
    e->set_base_rev(relay_edits * static_cast<std::uint64_t>(opts().members));
    e->set_edit_id(client_id + "-" + std::to_string(relay_edits++));
    for (const auto& c : op.components()) {
      auto* w = e->add_op();
      if (c.kind == ot::component_kind::retain) w->set_retain(static_cast<std::uint32_t>(c.count));
      if (c.kind == ot::component_kind::insert) w->set_insert(c.text);
      if (c.kind == ot::component_kind::remove) w->set_delete_(static_cast<std::uint32_t>(c.count));
    }
    relay_length = op.target_length();
    relay_caret =
        std::min(ot::transform_position(caret, op, ot::caret_gravity::after_insert), relay_length);
    owner.sent(e->edit_id(), room.joined - 1, true);
    send(m.SerializeAsString());
  }

  void send_edit(v1::ClientMessage& m) {
    m.set_req(next_req++);
    owner.sent(m.edit().edit_id(), room.joined - 1, false);
    send(protocol::encode(m, protocol::encoding::binary));
  }

  void send(std::string frame) {
    if (!open) return;
    out.push_back(std::move(frame));
    if (out.size() == 1) write();
  }

  void write() {
    ws.async_write(asio::buffer(out.front()),
                   [self = shared_from_this()](beast::error_code e, std::size_t) {
                     self->out.pop_front();
                     if (e) {
                       self->out.clear();
                       return;  // the read that is outstanding reports the end
                     }
                     if (!self->out.empty()) self->write();
                   });
  }

  void close() {
    closing = true;
    timer.cancel();
    if (!open) return;
    ws.async_close(websocket::close_code::normal,
                   [self = shared_from_this()](beast::error_code) { self->open = false; });
  }
};

}  // namespace

void driver::worker::connect_more() {
  while (connecting < connect_limit && next_to_connect < members.size()) {
    ++connecting;
    members[next_to_connect++]->connect();
  }
}

void driver::worker::sent(const std::string& edit_id, int expected, bool relay) {
  auto& e = flying[edit_id];
  e.sent = clock_type::now();
  e.expected = expected;
  e.acked = relay;
  e.in_window = window();
  if (e.in_window) ++totals.sent;
  ++totals.sent_total;
  flying_count.store(flying.size(), std::memory_order_relaxed);
  if (expected <= 0 && relay) settle(flying.find(edit_id));
}

void driver::worker::received(const std::string& edit_id, clock_type::time_point at) {
  auto it = flying.find(edit_id);
  if (it == flying.end()) return;  // an edit of another run's member, or already settled
  if (it->second.in_window) totals.fanout.add(micros_between(it->second.sent, at));
  if (window()) ++totals.delivered;
  ++totals.delivered_total;
  ++it->second.receipts;
  settle(it);
}

void driver::worker::acknowledged(const std::string& edit_id, clock_type::time_point at) {
  auto it = flying.find(edit_id);
  if (it == flying.end() || it->second.acked) return;
  if (it->second.in_window) totals.ack.add(micros_between(it->second.sent, at));
  if (window()) ++totals.acked;
  ++totals.acked_total;
  it->second.acked = true;
  settle(it);
}

void driver::worker::settle(std::unordered_map<std::string, in_flight_edit>::iterator it) {
  if (it->second.acked && it->second.receipts >= it->second.expected) flying.erase(it);
  flying_count.store(flying.size(), std::memory_order_relaxed);
}

driver::driver(const options& opts, std::vector<room_spec> rooms)
    : shared_(std::make_unique<shared>()) {
  shared_->opts = opts;
  int threads = std::max(1, std::min<int>(opts.threads, static_cast<int>(rooms.size())));
  for (int t = 0; t < threads; ++t) {
    workers_.push_back(
        std::make_unique<worker>(*shared_, opts.seed * 1000003ULL + static_cast<unsigned>(t)));
    workers_.back()->connect_limit = std::max(1, opts.connect_parallel / threads);
  }
  tcp::endpoint server(asio::ip::make_address(opts.host),
                       static_cast<unsigned short>(std::stoul(opts.port)));
  bool spread = server.address().is_v4() && server.address().to_v4().to_bytes()[0] == 127;
  long wanted = opts.idle > 0 ? opts.idle : static_cast<long>(rooms.size()) * opts.members;
  long index = 0;
  for (std::size_t r = 0; r < rooms.size() && index < wanted; ++r) {
    auto& w = *workers_[r % workers_.size()];
    auto& room = w.rooms.emplace_back(room_state{std::move(rooms[r]), 0});
    for (int s = 0; s < opts.members && index < wanted; ++s, ++index) {
      asio::ip::address from;
      if (spread) {
        from = asio::ip::make_address_v4(0x7f000001u + static_cast<unsigned>(index % 16));
      }
      std::string id = "lg" + std::to_string(r) + "s" + std::to_string(s);
      w.members.push_back(std::make_shared<member>(w, room, s, id, server, from));
    }
  }
  connections_ = index;
}

driver::~driver() {
  for (auto& w : workers_) {
    if (w->thread.joinable()) {
      w->io.stop();
      w->thread.join();
    }
  }
}

void driver::start() {
  for (auto& w : workers_) {
    w->guard.emplace(w->io.get_executor());
    asio::post(w->io, [wp = w.get()] { wp->connect_more(); });
    w->thread = std::thread([wp = w.get()] { wp->io.run(); });
  }
}

namespace {

// One of the workers' counters, added up across them.
template <typename T, typename Counter>
T sum(const std::vector<std::unique_ptr<driver::worker>>& workers,
      Counter driver::worker::*counter) {
  T n = 0;
  for (const auto& w : workers)
    n += ((*w).*counter).load(std::memory_order_relaxed);
  return n;
}

}  // namespace

long driver::joined() const {
  return sum<long>(workers_, &worker::joined);
}

long driver::failed() const {
  return sum<long>(workers_, &worker::failed);
}

std::size_t driver::in_flight() const {
  return sum<std::size_t>(workers_, &worker::flying_count);
}

std::uint64_t driver::disconnects() const {
  return sum<std::uint64_t>(workers_, &worker::disconnects);
}

std::uint64_t driver::errors() const {
  return sum<std::uint64_t>(workers_, &worker::errors);
}

void driver::set_phase(phase p) {
  auto before = shared_->now();
  shared_->current.store(static_cast<int>(p), std::memory_order_relaxed);
  if (before == phase::connecting && p == phase::warmup) {
    for (auto& w : workers_) {
      asio::post(w->io, [wp = w.get()] {
        for (auto& m : wp->members)
          m->start_typing();
      });
    }
  }
}

run_totals driver::finish() {
  set_phase(phase::closing);
  for (auto& w : workers_) {
    asio::post(w->io, [wp = w.get()] {
      for (auto& m : wp->members)
        m->close();
    });
  }
  auto deadline = clock_type::now() + std::chrono::milliseconds(1500);
  for (auto& w : workers_) {
    w->guard.reset();
    // The loop ends by itself once every close has finished; a server that does not answer
    // its close frames is left behind at the deadline.
    while (!w->io.stopped() && clock_type::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    w->io.stop();
    w->thread.join();
  }
  run_totals all;
  all.connections = connections_;
  for (auto& w : workers_) {
    auto& t = w->totals;
    all.joined += w->joined.load();
    all.connect_failures += w->failed.load();
    all.typed += t.typed;
    all.sent += t.sent;
    all.acked += t.acked;
    all.delivered += t.delivered;
    all.errors += w->errors.load();
    all.disconnects += w->disconnects.load();
    all.sent_total += t.sent_total;
    all.acked_total += t.acked_total;
    all.delivered_total += t.delivered_total;
    for (const auto& [id, e] : w->flying) {
      if (!e.acked) ++all.unacked;
      if (e.receipts < e.expected)
        all.undelivered += static_cast<std::uint64_t>(e.expected - e.receipts);
    }
    all.fanout.merge(t.fanout);
    all.ack.merge(t.ack);
    for (auto& s : t.error_samples) {
      if (all.error_samples.size() < max_error_samples) all.error_samples.push_back(s);
    }
  }
  return all;
}

}  // namespace colead::loadgen
