// colead-bench-relay: accepts WebSockets at /ws/<room>, answers the first subprotocol offered,
// and sends every frame to the room's other connections as it came. No OT, no storage, no
// hello, one thread: what any relay must at least do, measured beside the server.
//
// Usage: colead-bench-relay [--listen HOST:PORT]   (default 127.0.0.1:0, a free port)
// Prints "listening on HOST:PORT" once it accepts; stops on SIGINT or SIGTERM.
#include <utility>  // before Asio: Boost 1.74 uses std::exchange without it

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

class session;
std::map<std::string, std::set<session*>> rooms;  // room id → its open connections

class session : public std::enable_shared_from_this<session> {
 public:
  explicit session(tcp::socket socket) : ws_(std::move(socket)) {}
  ~session() { leave(); }

  void start() {
    http::async_read(ws_.next_layer(), buffer_, request_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (!ec) self->upgrade();
                     });
  }

  // Queues one frame for this connection; frames leave in order, one write at a time.
  void send(std::shared_ptr<const std::string> frame, bool binary) {
    queue_.emplace_back(std::move(frame), binary);
    if (queue_.size() == 1) write_next();
  }

 private:
  void upgrade() {
    auto target = std::string(request_.target());
    if (target.rfind("/ws/", 0) != 0 || target.size() == 4 || !websocket::is_upgrade(request_)) {
      return;  // not a room's WebSocket: drop it
    }
    room_ = target.substr(4);
    auto offered = std::string(request_[http::field::sec_websocket_protocol]);
    auto first = offered.substr(0, offered.find(','));
    while (!first.empty() && first.back() == ' ')
      first.pop_back();
    ws_.set_option(websocket::stream_base::decorator([first](websocket::response_type& res) {
      if (!first.empty()) res.set(http::field::sec_websocket_protocol, first);
    }));
    ws_.async_accept(request_, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return;
      rooms[self->room_].insert(self.get());
      self->joined_ = true;
      self->read_next();
    });
  }

  void read_next() {
    buffer_.clear();
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->leave();
      auto frame =
          std::make_shared<const std::string>(beast::buffers_to_string(self->buffer_.data()));
      bool binary = self->ws_.got_binary();
      for (session* other : rooms[self->room_]) {
        if (other != self.get()) other->send(frame, binary);
      }
      self->read_next();
    });
  }

  void write_next() {
    ws_.binary(queue_.front().second);
    ws_.async_write(asio::buffer(*queue_.front().first),
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      self->queue_.pop_front();
                      if (ec) return self->leave();
                      if (!self->queue_.empty()) self->write_next();
                    });
  }

  void leave() {
    if (!joined_) return;
    joined_ = false;
    auto room = rooms.find(room_);
    if (room == rooms.end()) return;
    room->second.erase(this);
    if (room->second.empty()) rooms.erase(room);
  }

  websocket::stream<tcp::socket> ws_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  std::string room_;
  bool joined_ = false;
  std::deque<std::pair<std::shared_ptr<const std::string>, bool>> queue_;
};

void accept_next(tcp::acceptor& acceptor) {
  acceptor.async_accept([&acceptor](beast::error_code ec, tcp::socket socket) {
    if (!ec) {
      socket.set_option(tcp::no_delay(true));
      std::make_shared<session>(std::move(socket))->start();
    }
    if (acceptor.is_open()) accept_next(acceptor);
  });
}

}  // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:0";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--listen" && i + 1 < argc) {
      listen = argv[++i];
    } else {
      std::cerr << "usage: colead-bench-relay [--listen HOST:PORT]\n";
      return 2;
    }
  }
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) {
    std::cerr << "colead-bench-relay: --listen wants HOST:PORT\n";
    return 2;
  }
  try {
    asio::io_context io(1);
    tcp::endpoint where(asio::ip::make_address(listen.substr(0, colon)),
                        static_cast<unsigned short>(std::stoul(listen.substr(colon + 1))));
    tcp::acceptor acceptor(io, where);
    acceptor.listen(asio::socket_base::max_listen_connections);
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](beast::error_code, int) { io.stop(); });
    accept_next(acceptor);
    std::cout << "listening on " << where.address().to_string() << ":"
              << acceptor.local_endpoint().port() << std::endl;
    io.run();
  } catch (const std::exception& e) {
    std::cerr << "colead-bench-relay: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
