#include "net/websocket_session.hpp"

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
      tokens_(state_->options.rate_burst),
      refill_at_(std::chrono::steady_clock::now()) {
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
  // The hard cap; the configured limit is enforced per message in on_read so an oversize
  // message gets a TOO_LARGE answer instead of a dropped connection.
  ws_.read_message_max(opts.max_frame_bytes * 4);
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
void websocket_session_of<Stream>::joined(const std::string&) {
  asio::post(ws_.get_executor(), [self = this->shared_from_this()] {
    self->joined_ = true;
    self->hello_timer_.cancel();
  });
}

template <class Stream>
void websocket_session_of<Stream>::do_read() {
  reading_ = true;
  ws_.async_read(
      buffer_, beast::bind_front_handler(&websocket_session_of::on_read, this->shared_from_this()));
}

template <class Stream>
bool websocket_session_of<Stream>::take_token() {
  const auto& opts = state_->options;
  auto now = std::chrono::steady_clock::now();
  std::chrono::duration<double> gap = now - refill_at_;
  refill_at_ = now;
  tokens_ = std::min(opts.rate_burst, tokens_ + gap.count() * opts.rate_per_second);
  if (tokens_ < 1) return false;
  tokens_ -= 1;
  return true;
}

template <class Stream>
void websocket_session_of<Stream>::on_read(beast::error_code ec, std::size_t bytes) {
  reading_ = false;
  if (ec) return fail(ec, "read");
  if (closing_) {
    // Closing: keep reading only to receive the peer's close frame.
    buffer_.consume(buffer_.size());
    return do_read();
  }
  auto& stats = state_->stats;
  stats.messages_in.fetch_add(1, std::memory_order_relaxed);
  std::string frame = beast::buffers_to_string(buffer_.data());
  buffer_.consume(buffer_.size());
  auto self = this->shared_from_this();

  auto reject = [&](v1::Error::Code code, std::string message, std::uint64_t req = 0) {
    host_->post([self, req, code, message = std::move(message)](room::room& r) mutable {
      r.reject(self, req, code, std::move(message));
    });
  };
  if (!take_token()) {
    stats.rate_limited.fetch_add(1, std::memory_order_relaxed);
    reject(v1::Error::RATE_LIMITED,
           "too many messages: at most " +
               std::to_string(static_cast<int>(state_->options.rate_per_second)) +
               " a second are accepted; this one was dropped");
  } else if (bytes > state_->options.max_frame_bytes) {
    reject(v1::Error::TOO_LARGE, "the message has " + std::to_string(bytes) +
                                     " bytes; this server accepts at most " +
                                     std::to_string(state_->options.max_frame_bytes));
  } else {
    v1::ClientMessage message;
    protocol::decode_error error;
    if (protocol::decode_client_message(frame, encoding_, message, error)) {
      host_->post([self, message = std::move(message)](room::room& r) { r.handle(self, message); });
    } else {
      stats.bad_frames.fetch_add(1, std::memory_order_relaxed);
      reject(error.unknown_kind ? v1::Error::UNKNOWN_KIND : v1::Error::BAD_FRAME,
             std::move(error.message), message.req());
    }
  }
  do_read();
}

template <class Stream>
void websocket_session_of<Stream>::deliver(std::shared_ptr<const std::string> frame) {
  asio::post(ws_.get_executor(),
             [self = this->shared_from_this(), frame = std::move(frame)]() mutable {
               self->queue(std::move(frame));
             });
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
  asio::post(ws_.get_executor(), [self = this->shared_from_this(), reason = std::move(reason)]() {
    if (self->closing_ || self->finished_) return;
    self->closing_ = true;
    self->close_reason_ = reason;
    if (self->accepted_ && self->queue_.empty()) self->do_close();
  });
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
