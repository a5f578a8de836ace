#include "net/websocket_session.hpp"

#include "codec.hpp"
#include "net/http_session.hpp"

#include <spdlog/spdlog.h>

namespace colead::net {

template <class Stream>
websocket_session_of<Stream>::websocket_session_of(
    Stream&& stream, std::shared_ptr<server_state> state, std::shared_ptr<room_host> host,
    protocol::encoding encoding, connection_info info, std::shared_ptr<void> tls_context,
    address_lease lease)
    : ws_(std::move(stream)),
      state_(std::move(state)),
      host_(std::move(host)),
      encoding_(encoding),
      info_(std::move(info)),
      tls_context_(std::move(tls_context)),
      lease_(std::move(lease)),
      hello_timer_(ws_.get_executor()),
      own_bucket_(state_->options.rate_per_second, state_->options.rate_burst, limit_clock::now()),
      refused_since_(own_bucket_.refilled) {
  state_->stats.websocket_sessions.fetch_add(1, std::memory_order_relaxed);
}

template <class Stream>
websocket_session_of<Stream>::~websocket_session_of() {
  state_->stats.websocket_sessions.fetch_sub(1, std::memory_order_relaxed);
}

template <class Stream>
void websocket_session_of<Stream>::run(http::request<http::string_body> req) {
  const auto& opts = state_->options;
  websocket::stream_base::timeout timeout{};
  // Bounds the opening handshake and, later, how long a closing handshake may take.
  timeout.handshake_timeout =
      std::chrono::duration_cast<std::chrono::seconds>(opts.handshake_timeout);
  if (timeout.handshake_timeout < std::chrono::seconds(1)) {
    timeout.handshake_timeout = std::chrono::seconds(1);
  }
  // Beast pings after half the idle timeout of silence and closes after the whole of it;
  // nginx drops a proxied WebSocket silent for 60 s, so ping well inside that.
  timeout.idle_timeout = opts.ping_interval * 2;
  timeout.keep_alive_pings = true;
  ws_.set_option(timeout);
  const std::string subprotocol(protocol::subprotocol_name(encoding_));
  ws_.set_option(websocket::stream_base::decorator([subprotocol](websocket::response_type& res) {
    res.set(http::field::server, "colead");
    res.set(http::field::sec_websocket_protocol, subprotocol);
  }));
  // The session counts each message's bytes itself (on_read) so that an oversize message
  // gets a TOO_LARGE answer with its req, and one beyond the hard cap a close 1009 after
  // that answer; Beast's own limit would drop the connection with no answer at all.
  ws_.read_message_max(0);
  // Runs inside the read that received the frame, before Beast answers a close.
  ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
    const auto code = ws_.reason().code;
    if (kind == websocket::frame_type::close && code != websocket::close_code::none &&
        !valid_peer_close_code(code)) {
      ws_.next_layer().arm(code);
    }
  });
  ws_.binary(encoding_ == protocol::encoding::binary);
  ws_.async_accept(
      req, beast::bind_front_handler(&websocket_session_of::on_accept, this->shared_from_this()));
}

template <class Stream>
void websocket_session_of<Stream>::on_accept(beast::error_code ec) {
  if (ec) return fail(ec, "accept");
  accepted_ = true;
  auto self = this->shared_from_this();
  state_->add_session(self);
  if (state_->stopping.load()) {
    close({1001, "server shutting down"});
    return;
  }
  if (!host_) {
    v1::ServerMessage m;
    auto* e = m.mutable_error();
    e->set_code(v1::Error::ROOM_NOT_FOUND);
    if (state_->stats.activity) state_->stats.activity->error_sent(v1::Error::ROOM_NOT_FOUND);
    e->set_message("there is no room at this address; check the invite link");
    e->set_fatal(true);
    queue(std::make_shared<const std::string>(protocol::encode(m, encoding_)));
    close({1008, "room not found"});
    return;
  }
  attached_ = true;
  host_->post([self](room::room& r) {
    if (!r.attach(self)) self->attached_ = false;
  });
  start_hello_timer();
  do_read();
}

template <class Stream>
void websocket_session_of<Stream>::start_hello_timer() {
  hello_timer_.expires_after(state_->options.hello_timeout);
  hello_timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
    if (ec || self->joined_ || self->closing_ || self->finished_) return;
    spdlog::debug("{}closing: no hello within the deadline", log_tag(self->info_));
    const auto ms = self->state_->options.hello_timeout.count();
    auto limit = ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
    self->close({1008, "no hello within " + limit + ": send hello with your invite token first"});
  });
}

template <class Stream>
void websocket_session_of<Stream>::do_read() {
  if (reading_ || finished_) return;
  // Backpressure: while the room has not yet taken the messages already handed to it, the
  // next frame stays in the socket, so a flooder cannot queue unbounded work on the strand.
  if (!closing_ && in_room_.load(std::memory_order_acquire) >= max_in_room) {
    read_waits_ = true;
    return;
  }
  read_waits_ = false;
  reading_ = true;
  ws_.async_read_some(
      buffer_, read_chunk,
      beast::bind_front_handler(&websocket_session_of::on_read, this->shared_from_this()));
}

template <class Stream>
void websocket_session_of<Stream>::room_took() {
  if (read_waits_) do_read();
}

template <class Stream>
bool websocket_session_of<Stream>::take_token() {
  const auto now = limit_clock::now();
  own_bucket_.refill(now);
  if (own_bucket_.tokens < 1) return false;
  // The member's share across its connections, once it has joined.
  if (member_bucket_ && !member_bucket_->take(now)) return false;
  own_bucket_.tokens -= 1;
  return true;
}

template <class Stream>
bool websocket_session_of<Stream>::abusive() {
  // Counts refusals in fixed windows: a client that backs off never reaches the limit, one
  // that keeps sending regardless does within one window.
  const auto& opts = state_->options;
  auto now = limit_clock::now();
  if (now - refused_since_ > opts.abuse_window) {
    refused_since_ = now;
    refused_ = 0;
  }
  return ++refused_ > opts.abuse_close_after;
}

template <class Stream>
void websocket_session_of<Stream>::joined(const std::string& member_id) {
  asio::post(ws_.get_executor(), [self = this->shared_from_this(), member_id] {
    self->joined_ = true;
    self->hello_timer_.cancel();
    if (self->finished_ || !self->host_) return;
    self->member_bucket_ =
        self->state_->members.acquire(self->host_->id(), member_id, limit_clock::now());
  });
}

template <class Stream>
void websocket_session_of<Stream>::reject(std::uint64_t req, v1::Error::Code code,
                                          std::string message, bool fatal) {
  // Answered here, not by the room: a refused message costs the room nothing.
  v1::ServerMessage m;
  m.set_re(req);
  auto* e = m.mutable_error();
  e->set_code(code);
  e->set_message(std::move(message));
  e->set_fatal(fatal);
  if (auto& activity = state_->stats.activity) {
    activity->message_refused();
    activity->error_sent(code);
  }
  queue(std::make_shared<const std::string>(protocol::encode(m, encoding_)));
}

template <class Stream>
void websocket_session_of<Stream>::on_read(beast::error_code ec, std::size_t bytes) {
  reading_ = false;
  if (ec) return fail(ec, "read");
  if (closing_) {
    // Closing: keep reading only to receive the peer's close frame.
    buffer_.consume(buffer_.size());
    message_bytes_ = 0;
    return do_read();
  }
  const auto& opts = state_->options;
  message_bytes_ += bytes;
  if (message_bytes_ > opts.max_frame_bytes) {
    // Too large to keep: remember the request number from its first bytes and drop the
    // rest as it arrives, so the answer can name the request it refuses.
    if (!oversize_) {
      oversize_ = true;
      oversize_req_ = protocol::peek_req(buffers_view(), encoding_);
    }
    buffer_.consume(buffer_.size());
    if (message_bytes_ > hard_cap()) {
      // Not worth reading to its end: answer, then close with 1009 once the answer is
      // written (reading on, so the peer's close frame is taken and no reset loses it).
      reject(oversize_req_, v1::Error::TOO_LARGE,
             "the message has more than " + std::to_string(hard_cap()) +
                 " bytes; this server accepts at most " + std::to_string(opts.max_frame_bytes) +
                 " and closes the connection above " + std::to_string(hard_cap()),
             true);
      close_now({1009, "message too big: over " + std::to_string(hard_cap()) + " bytes"});
      return do_read();
    }
  }
  if (!ws_.is_message_done()) return do_read();

  // One whole message.
  auto& stats = state_->stats;
  stats.messages_in.fetch_add(1, std::memory_order_relaxed);
  const std::size_t size = message_bytes_;
  message_bytes_ = 0;
  const bool oversize = oversize_;
  oversize_ = false;
  if (!take_token()) {
    stats.rate_limited.fetch_add(1, std::memory_order_relaxed);
    const auto req = oversize ? oversize_req_ : protocol::peek_req(buffers_view(), encoding_);
    buffer_.consume(buffer_.size());
    if (abusive()) {
      spdlog::info("{}closing a connection that kept sending over the rate limit", log_tag(info_));
      close_now({1008, "too many messages over the rate limit; reconnect later and slow down"});
      return do_read();
    }
    reject(req, v1::Error::RATE_LIMITED,
           "too many messages: at most " + std::to_string(static_cast<int>(opts.rate_per_second)) +
               " a second (" + std::to_string(static_cast<int>(opts.member_rate_per_second)) +
               " for a member across its connections) are accepted; this one was dropped, "
               "send it again later");
    return do_read();
  }
  if (oversize) {
    reject(oversize_req_, v1::Error::TOO_LARGE,
           "the message has " + std::to_string(size) + " bytes; this server accepts at most " +
               std::to_string(opts.max_frame_bytes));
    return do_read();
  }
  v1::ClientMessage message;
  protocol::decode_error error;
  const bool decoded = protocol::decode_client_message(buffers_view(), encoding_, message, error);
  buffer_.consume(buffer_.size());
  if (!decoded) {
    stats.bad_frames.fetch_add(1, std::memory_order_relaxed);
    reject(message.req(), error.unknown_kind ? v1::Error::UNKNOWN_KIND : v1::Error::BAD_FRAME,
           std::move(error.message));
    return do_read();
  }
  in_room_.fetch_add(1, std::memory_order_acq_rel);
  host_->post([self = this->shared_from_this(), message = std::move(message)](room::room& r) {
    r.handle(self, message);
    // Only the message that frees the last place can find reading paused (do_read saw the
    // count at max_in_room); the others cost no post back.
    if (self->in_room_.fetch_sub(1, std::memory_order_acq_rel) == max_in_room) {
      asio::post(self->ws_.get_executor(), [self] { self->room_took(); });
    }
  });
  do_read();
}

template <class Stream>
void websocket_session_of<Stream>::deliver(room::outbound& message) {
  auto& frame = message.frame(encoding_ == protocol::encoding::binary ? 0 : 1);
  if (!frame) {
    frame = std::make_shared<const std::string>(protocol::encode(message.message(), encoding_));
  }
  asio::post(ws_.get_executor(),
             [self = this->shared_from_this(), frame]() mutable { self->queue(std::move(frame)); });
}

template <class Stream>
void websocket_session_of<Stream>::queue(std::shared_ptr<const std::string> frame) {
  if (closing_ || finished_) return;
  queued_bytes_ += frame->size();
  queue_.push_back(std::move(frame));
  if (queued_bytes_ > state_->options.max_outbound_bytes) {
    state_->stats.slow_disconnects.fetch_add(1, std::memory_order_relaxed);
    spdlog::warn("{}closing a connection that stopped reading ({} bytes queued)", log_tag(info_),
                 queued_bytes_);
    // What is queued will never be read in time; drop all but the frame being written.
    while (queue_.size() > 1) {
      queued_bytes_ -= queue_.back()->size();
      queue_.pop_back();
    }
    closing_ = true;
    close_reason_ = {1008, "too slow: the connection stopped reading messages"};
    return;
  }
  if (queue_.size() == 1 && accepted_) do_write();
}

template <class Stream>
void websocket_session_of<Stream>::do_write() {
  ws_.async_write(
      asio::buffer(*queue_.front()),
      beast::bind_front_handler(&websocket_session_of::on_write, this->shared_from_this()));
}

template <class Stream>
void websocket_session_of<Stream>::on_write(beast::error_code ec, std::size_t) {
  if (ec) return fail(ec, "write");
  state_->stats.frames_out.fetch_add(1, std::memory_order_relaxed);
  queued_bytes_ -= queue_.front()->size();
  queue_.pop_front();
  if (!queue_.empty()) return do_write();
  if (closing_) do_close();
}

template <class Stream>
void websocket_session_of<Stream>::close(room::close_reason reason) {
  asio::post(ws_.get_executor(),
             [self = this->shared_from_this(), reason = std::move(reason)]() mutable {
               self->close_now(std::move(reason));
             });
}

template <class Stream>
void websocket_session_of<Stream>::close_now(room::close_reason reason) {
  if (closing_ || finished_) return;
  closing_ = true;
  close_reason_ = std::move(reason);
  if (accepted_ && queue_.empty()) do_close();
}

template <class Stream>
void websocket_session_of<Stream>::do_close() {
  websocket::close_reason reason;
  reason.code = close_reason_.code;
  reason.reason = close_reason_.reason;
  ws_.async_close(reason, [self = this->shared_from_this()](beast::error_code ec) {
    if (ec) return self->fail(ec, "close");
    // Wait for the peer's close frame: the pending or next read ends with error::closed.
    if (!self->reading_) self->do_read();
  });
}

template <class Stream>
void websocket_session_of<Stream>::finish() {
  if (finished_) return;
  finished_ = true;
  hello_timer_.cancel();
  state_->remove_session(this);
  if (attached_ && host_) {
    host_->post([self = this->shared_from_this()](room::room& r) { r.detach(self); });
  }
}

template <class Stream>
void websocket_session_of<Stream>::fail(beast::error_code ec, const char* what) {
  // The peer closing or going away, and our own cancellations, are the ordinary end of a
  // session, not failures worth a log line.
  if (ec != asio::error::operation_aborted && ec != websocket::error::closed &&
      ec != beast::error::timeout && ec != asio::error::eof &&
      ec != asio::error::connection_reset && ec != websocket::error::message_too_big) {
    spdlog::debug("{}websocket {}: {}", log_tag(info_), what, ec.message());
  }
  finish();
}

template class websocket_session_of<plain_stream>;
template class websocket_session_of<tls_stream>;

}  // namespace colead::net
