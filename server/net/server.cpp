#include "net/server.hpp"

#include <spdlog/spdlog.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "net/cohort_host.hpp"
#include "net/listener.hpp"
#include "net/turn_credentials.hpp"
#include "net/websocket_session.hpp"

namespace colead::net {

namespace {

room::room_options room_options_of(const server_options& options, const store::store& store,
                                   const std::shared_ptr<activity_metrics>& activity,
                                   const std::shared_ptr<cohort_registry>& cohorts) {
  room::room_options out;
  out.cohort = cohorts;
  out.limits = options.room_limits;
  out.snapshot_every = store.snapshot_every();
  out.history_limit = options.history_edits;
  out.history_bytes = options.history_bytes;
  out.prompts = options.prompts;
  out.scripts = options.scripts;
  out.observer = activity;
  if (!options.ice_servers.empty()) {
    // TURN credentials expire by the TURN server's wall clock, so they are made with the real
    // time, never the scaled room clock.
    auto servers = std::make_shared<const ice_server_list>(options.ice_servers, options.turn_secret,
                                                           options.turn_ttl);
    spdlog::info("calls: {} STUN and {} TURN server URLs named to members{}", servers->stun_count(),
                 servers->turn_count(),
                 servers->turn_count() > 0
                     ? fmt::format("; TURN credentials work for {} s", options.turn_ttl.count())
                     : std::string());
    out.ice_servers = [servers](const std::string& member) {
      auto now = std::chrono::system_clock::now().time_since_epoch();
      return servers->for_member(
          member, std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
    };
  } else {
    spdlog::info(
        "calls: no STUN or TURN server named (ice-server); calls connect only devices "
        "that reach each other directly");
  }
  return out;
}

}  // namespace

server::server(server_options options, store::store& store)
    : ioc_(static_cast<int>(std::max(1u, options.threads))),
      clock_(options.time_scale),
      activity_(std::make_shared<activity_metrics>()),
      cohorts_(std::make_shared<cohort_registry>(ioc_, store, clock_, options.scripts)),
      rooms_(ioc_, clock_, store, room_options_of(options, store, activity_, cohorts_)),
      state_(std::make_shared<server_state>(std::move(options), rooms_)),
      signals_(ioc_, SIGINT, SIGTERM),
      reload_signals_(ioc_, SIGHUP),
      shutdown_timer_(ioc_),
      retention_timer_(ioc_),
      trim_timer_(ioc_) {
  state_->stats.activity = activity_;
  store.set_commit_observer(activity_.get());
  cohorts_->serve_rooms(rooms_);
  rooms_.serve_cohorts(cohorts_.get());
  state_->cohorts = cohorts_.get();
}

server::~server() {
  rooms_.store().set_commit_observer(nullptr);
}

void server::start() {
  beast::error_code ec;
  auto address = asio::ip::make_address(state_->options.host, ec);
  if (ec) throw std::runtime_error("'" + state_->options.host + "' is not an IP address");
  const auto& options = state_->options;
  state_->files = std::make_shared<const static_files>(options.web_root);
  if (options.tls()) {
    state_->tls = std::make_unique<tls_context_source>(options.tls_cert, options.tls_key);
  }
  listener_ = std::make_shared<listener>(ioc_, tcp::endpoint(address, options.port), state_);
  if (options.tls() && !options.redirect_host.empty()) {
    auto redirect_address = asio::ip::make_address(options.redirect_host, ec);
    if (ec) throw std::runtime_error("'" + options.redirect_host + "' is not an IP address");
    redirect_listener_ = std::make_shared<listener>(
        ioc_, tcp::endpoint(redirect_address, options.redirect_port), state_, true);
    redirect_listener_->run();
    spdlog::info("redirecting plain HTTP on {}:{} to HTTPS", options.redirect_host,
                 redirect_listener_->local_endpoint().port());
  }
  listener_->run();
  wait_for_reload();
  if (state_->options.retention_days > 0) sweep_idle_rooms();
  if (state_->options.memory_trim_interval.count() > 0) trim_memory();
  signals_.async_wait([this](beast::error_code e, int signal) {
    if (e) return;
    spdlog::info("received signal {}; shutting down", signal);
    begin_shutdown();
  });
}

void server::wait_for_reload() {
  reload_signals_.async_wait([this](beast::error_code e, int) {
    if (e) return;
    if (!state_->tls) {
      spdlog::info("SIGHUP: nothing to reload (no --tls-cert)");
    } else if (std::string why; state_->tls->reload(why)) {
      spdlog::info("SIGHUP: reloaded the TLS certificate and key; open connections keep theirs");
    } else {
      spdlog::error("SIGHUP: kept the current TLS certificate: {}", why);
    }
    wait_for_reload();
  });
}

tcp::endpoint server::endpoint() const {
  return listener_->local_endpoint();
}

int server::run() {
  std::vector<std::thread> threads;
  auto extra = std::max(1u, state_->options.threads) - 1;
  threads.reserve(extra);
  for (unsigned i = 0; i < extra; ++i)
    threads.emplace_back([this] { ioc_.run(); });
  ioc_.run();
  for (auto& t : threads)
    t.join();
  spdlog::info("stopped");
  return 0;
}

void server::sweep_idle_rooms() {
  using namespace std::chrono;
  const double day_ms = 24.0 * 3600 * 1000;
  const auto retention_ms = static_cast<std::int64_t>(state_->options.retention_days * day_ms);
  auto idle = rooms_.store().list_rooms_idle_since(clock_.wall_ms() - retention_ms);
  if (!idle) {
    spdlog::warn("retention: cannot list idle rooms: {}", idle.error().message());
  } else {
    for (const auto& record : idle.value()) {
      auto host = rooms_.find(record.id);
      if (!host) continue;
      spdlog::info("retention: erasing room {}, idle for more than {} days", record.id,
                   state_->options.retention_days);
      host->post([](room::room& r) { r.erase(); });
    }
  }
  // Look again a tenth of the retention period later, at most hourly.
  auto next = std::min<std::int64_t>(retention_ms / 10, 3600 * 1000);
  retention_timer_.expires_after(milliseconds(std::max<std::int64_t>(next, 100)));
  retention_timer_.async_wait([this](beast::error_code ec) {
    if (!ec && !state_->stopping.load()) sweep_idle_rooms();
  });
}

void server::trim_memory() {
#if defined(__GLIBC__)
  // glibc keeps memory that was freed (a flood's large edits, an unloaded room) in its arenas
  // for reuse, so the resident size stays at its peak. Give whole free pages back once enough
  // is free to matter; the walk is short and runs off every room's strand.
  constexpr std::size_t worth_trimming = 4 << 20;
  const struct mallinfo2 before = ::mallinfo2();
  if (before.fordblks >= worth_trimming) {
    const auto started = std::chrono::steady_clock::now();
    ::malloc_trim(0);
    spdlog::debug("memory: gave back free pages of {} MiB freed, in {} ms", before.fordblks >> 20,
                  std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count());
  }
#endif
  trim_timer_.expires_after(state_->options.memory_trim_interval);
  trim_timer_.async_wait([this](beast::error_code ec) {
    if (!ec && !state_->stopping.load()) trim_memory();
  });
}

void server::stop() {
  asio::post(ioc_, [this] { begin_shutdown(); });
}

void server::begin_shutdown() {
  if (state_->stopping.exchange(true)) return;
  beast::error_code ignored;
  signals_.cancel(ignored);
  reload_signals_.cancel(ignored);
  listener_->stop();
  if (redirect_listener_) redirect_listener_->stop();
  retention_timer_.cancel();
  trim_timer_.cancel();
  for (auto& session : state_->sessions())
    session->close({1001, "server shutting down"});
  shutdown_deadline_ = std::chrono::steady_clock::now() + state_->options.shutdown_grace;
  wait_for_sessions();
}

void server::wait_for_sessions() {
  // Poll rather than count completions: sessions end on their own strands, and a short poll
  // keeps shutdown simple and bounded by the grace period.
  bool done = state_->stats.websocket_sessions.load() == 0;
  if (done || std::chrono::steady_clock::now() >= shutdown_deadline_) {
    if (!done) spdlog::warn("closing the remaining connections after the grace period");
    ioc_.stop();
    return;
  }
  shutdown_timer_.expires_after(std::chrono::milliseconds(20));
  shutdown_timer_.async_wait([this](beast::error_code ec) {
    if (!ec) wait_for_sessions();
  });
}

}  // namespace colead::net
