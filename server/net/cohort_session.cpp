#include "net/cohort_session.hpp"

#include <spdlog/spdlog.h>

#include "net/http_session.hpp"

namespace colead::net {

namespace {

// A CohortClientMessage from a frame; false with `error` set when it does not decode or
// names no kind (the message then holds only the req peek_req found).
bool decode_cohort_message(std::string_view frame, protocol::encoding e,
                           v1::CohortClientMessage& out, protocol::decode_error& error) {
  std::string why;
  if (!protocol::decode(frame, e, out, error)) {
    out.Clear();
    out.set_req(protocol::peek_req(frame, e));
    return false;
  }
  if (out.kind_case() == v1::CohortClientMessage::KIND_NOT_SET) {
    error.message = "the message names no kind (hello, command or ping)";
    error.unknown_kind = true;
    return false;
  }
  if (!protocol::known_enum_values(out, why)) {
    error.message = why;
    const auto req = out.req();
    out.Clear();
    out.set_req(req);
    return false;
  }
  return true;
}

}  // namespace

template <class Stream>
cohort_session<Stream>::cohort_session(Stream&& stream, std::shared_ptr<server_state> state,
                                       std::shared_ptr<cohort_host> host,
                                       protocol::encoding encoding, connection_info info,
                                       std::shared_ptr<void> tls_context, address_lease lease)
    : ws_(std::move(stream)),
      state_(std::move(state)),
      host_(std::move(host)),
      encoding_(encoding),
      info_(std::move(info)),
      tls_context_(std::move(tls_context)),
      lease_(std::move(lease)),
      hello_timer_(ws_.get_executor()),
      bucket_(state_->options.rate_per_second, state_->options.rate_burst, limit_clock::now()) {
  state_->stats.websocket_sessions.fetch_add(1, std::memory_order_relaxed);
}

template <class Stream>
cohort_session<Stream>::~cohort_session() {
  state_->stats.websocket_sessions.fetch_sub(1, std::memory_order_relaxed);
}

template <class Stream>
void cohort_session<Stream>::run(http::request<http::string_body> req) {
  const auto& opts = state_->options;
  websocket::stream_base::timeout timeout{};
  timeout.handshake_timeout =
      std::chrono::duration_cast<std::chrono::seconds>(opts.handshake_timeout);
  if (timeout.handshake_timeout < std::chrono::seconds(1)) {
    timeout.handshake_timeout = std::chrono::seconds(1);
  }
  // Pings well inside the 60 s a proxy allows a silent WebSocket (as for rooms).
  timeout.idle_timeout = opts.ping_interval * 2;
  timeout.keep_alive_pings = true;
  ws_.set_option(timeout);
  const std::string subprotocol(protocol::subprotocol_name(encoding_));
  ws_.set_option(websocket::stream_base::decorator([subprotocol](websocket::response_type& res) {
    res.set(http::field::server, "colead");
    res.set(http::field::sec_websocket_protocol, subprotocol);
  }));
  // Counted here, so an oversize message gets an answer naming its req (as for rooms).
  ws_.read_message_max(0);
  ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
    const auto code = ws_.reason().code;
    if (kind == websocket::frame_type::close && code != websocket::close_code::none &&
        !valid_peer_close_code(code)) {
      ws_.next_layer().arm(code);
    }
  });
  ws_.binary(encoding_ == protocol::encoding::binary);
  ws_.async_accept(req,
                   beast::bind_front_handler(&cohort_session::on_accept, this->shared_from_this()));
}

template <class Stream>
void cohort_session<Stream>::on_accept(beast::error_code ec) {
  if (ec) return fail(ec, "accept");
  accepted_ = true;
  auto self = this->shared_from_this();
  state_->add_session(self);
  if (state_->stopping.load()) {
    close_now({1001, "server shutting down"});
    return;
  }
  if (!host_) {
    reject(0, v1::Error::ROOM_NOT_FOUND,
           "there is no cohort at this address; check the facilitator link", true);
    close_now({1008, "cohort not found"});
    return;
  }
  attached_ = true;
  host_->post([self](cohort_host& c) { c.attach(self); });
  hello_timer_.expires_after(state_->options.hello_timeout);
  hello_timer_.async_wait([self](beast::error_code e) {
    if (e || self->joined_ || self->closing_ || self->finished_) return;
    self->close_now({1008,
                     "no hello within the deadline: send hello with your facilitator "
                     "token first"});
  });
  do_read();
}

template <class Stream>
void cohort_session<Stream>::do_read() {
  if (reading_ || finished_) return;
  reading_ = true;
  ws_.async_read_some(
      buffer_, read_chunk,
      beast::bind_front_handler(&cohort_session::on_read, this->shared_from_this()));
}

template <class Stream>
void cohort_session<Stream>::reject(std::uint64_t req, v1::Error::Code code, std::string message,
                                    bool fatal) {
  v1::CohortServerMessage m;
  m.set_re(req);
  auto* e = m.mutable_error();
  e->set_code(code);
  e->set_message(std::move(message));
  e->set_fatal(fatal);
  queue(std::make_shared<const std::string>(protocol::encode(m, encoding_)));
}

template <class Stream>
void cohort_session<Stream>::on_read(beast::error_code ec, std::size_t bytes) {
  reading_ = false;
  if (ec) return fail(ec, "read");
  if (closing_) {
    buffer_.consume(buffer_.size());
    message_bytes_ = 0;
    return do_read();
  }
  const auto& opts = state_->options;
  const auto hard_cap = opts.max_frame_bytes * 4;
  message_bytes_ += bytes;
  if (message_bytes_ > opts.max_frame_bytes) {
    if (!oversize_) {
      oversize_ = true;
      oversize_req_ = protocol::peek_req(buffers_view(), encoding_);
    }
    buffer_.consume(buffer_.size());
    if (message_bytes_ > hard_cap) {
      reject(oversize_req_, v1::Error::TOO_LARGE,
             "the message has more than " + std::to_string(hard_cap) +
                 " bytes; this server accepts at most " + std::to_string(opts.max_frame_bytes),
             true);
      close_now({1009, "message too big: over " + std::to_string(hard_cap) + " bytes"});
      return do_read();
    }
  }
  if (!ws_.is_message_done()) return do_read();

  const bool oversize = oversize_;
  oversize_ = false;
  message_bytes_ = 0;
  if (!bucket_.take(limit_clock::now())) {
    const auto req = oversize ? oversize_req_ : protocol::peek_req(buffers_view(), encoding_);
    buffer_.consume(buffer_.size());
    reject(req, v1::Error::RATE_LIMITED,
           "too many messages: at most " + std::to_string(static_cast<int>(opts.rate_per_second)) +
               " a second are accepted; this one was dropped, send it again later");
    return do_read();
  }
  if (oversize) {
    reject(oversize_req_, v1::Error::TOO_LARGE,
           "the message is too large; this server accepts at most " +
               std::to_string(opts.max_frame_bytes) + " bytes");
    return do_read();
  }
  v1::CohortClientMessage message;
  protocol::decode_error error;
  const bool decoded = decode_cohort_message(buffers_view(), encoding_, message, error);
  buffer_.consume(buffer_.size());
  if (!decoded) {
    reject(message.req(), error.unknown_kind ? v1::Error::UNKNOWN_KIND : v1::Error::BAD_FRAME,
           std::move(error.message));
    return do_read();
  }
  host_->post([self = this->shared_from_this(), message = std::move(message)](cohort_host& c) {
    c.handle(self, message);
  });
  do_read();
}

template <class Stream>
void cohort_session<Stream>::send(std::shared_ptr<const v1::CohortServerMessage> message) {
  auto frame = std::make_shared<const std::string>(protocol::encode(*message, encoding_));
  asio::post(ws_.get_executor(),
             [self = this->shared_from_this(), frame]() mutable { self->queue(std::move(frame)); });
}

template <class Stream>
void cohort_session<Stream>::joined() {
  asio::post(ws_.get_executor(), [self = this->shared_from_this()] {
    self->joined_ = true;
    self->hello_timer_.cancel();
  });
}

template <class Stream>
void cohort_session<Stream>::queue(std::shared_ptr<const std::string> frame) {
  if (closing_ || finished_) return;
  queued_bytes_ += frame->size();
  queue_.push_back(std::move(frame));
  if (queued_bytes_ > state_->options.max_outbound_bytes) {
    state_->stats.slow_disconnects.fetch_add(1, std::memory_order_relaxed);
    spdlog::warn("{}closing a cohort connection that stopped reading ({} bytes queued)",
                 log_tag(info_), queued_bytes_);
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
void cohort_session<Stream>::do_write() {
  ws_.async_write(asio::buffer(*queue_.front()),
                  beast::bind_front_handler(&cohort_session::on_write, this->shared_from_this()));
}

template <class Stream>
void cohort_session<Stream>::on_write(beast::error_code ec, std::size_t) {
  if (ec) return fail(ec, "write");
  state_->stats.frames_out.fetch_add(1, std::memory_order_relaxed);
  queued_bytes_ -= queue_.front()->size();
  queue_.pop_front();
  if (!queue_.empty()) return do_write();
  if (closing_) do_close();
}

template <class Stream>
void cohort_session<Stream>::close(room::close_reason reason) {
  asio::post(ws_.get_executor(),
             [self = this->shared_from_this(), reason = std::move(reason)]() mutable {
               self->close_now(std::move(reason));
             });
}

template <class Stream>
void cohort_session<Stream>::close_now(room::close_reason reason) {
  if (closing_ || finished_) return;
  closing_ = true;
  close_reason_ = std::move(reason);
  if (accepted_ && queue_.empty()) do_close();
}

template <class Stream>
void cohort_session<Stream>::do_close() {
  websocket::close_reason reason;
  reason.code = close_reason_.code;
  reason.reason = close_reason_.reason;
  ws_.async_close(reason, [self = this->shared_from_this()](beast::error_code ec) {
    if (ec) return self->fail(ec, "close");
    if (!self->reading_) self->do_read();
  });
}

template <class Stream>
void cohort_session<Stream>::finish() {
  if (finished_) return;
  finished_ = true;
  hello_timer_.cancel();
  state_->remove_session(this);
  if (attached_ && host_) {
    host_->post([self = this->shared_from_this()](cohort_host& c) { c.detach(self.get()); });
  }
}

template <class Stream>
void cohort_session<Stream>::fail(beast::error_code ec, const char* what) {
  if (ec != asio::error::operation_aborted && ec != websocket::error::closed &&
      ec != beast::error::timeout && ec != asio::error::eof &&
      ec != asio::error::connection_reset) {
    spdlog::debug("{}cohort websocket {}: {}", log_tag(info_), what, ec.message());
  }
  finish();
}

template class cohort_session<plain_stream>;
template class cohort_session<tls_stream>;

}  // namespace colead::net
