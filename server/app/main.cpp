// colead-server: reads its configuration, prepares the data folder and serves rooms until
// SIGINT or SIGTERM.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include <spdlog/spdlog.h>

#include "app/config.hpp"
#include "app/logging.hpp"
#include "net/server.hpp"
#include "room/script_files.hpp"
#include "room/tokens.hpp"
#include "store/sqlite_store.hpp"

namespace fs = std::filesystem;
using namespace colead;

namespace {

bool is_loopback(const std::string& host) {
  return host.rfind("127.", 0) == 0 || host == "::1" || host == "localhost";
}

// The browser client's folder: clients/web of the checkout the binary was built in
// (build/bin/colead-server -> clients/web), else ./clients/web.
std::string default_web_root() {
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto candidate = exe.parent_path() / ".." / ".." / "clients" / "web";
    if (fs::exists(candidate / "index.html", ec)) return fs::canonical(candidate, ec).string();
  }
  return "clients/web";
}

// The scripts folder: data/scripts of the checkout the binary was built in, else
// ./data/scripts.
std::string default_scripts_dir() {
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto candidate = exe.parent_path() / ".." / ".." / "data" / "scripts";
    if (fs::is_directory(candidate, ec)) return fs::canonical(candidate, ec).string();
  }
  return "data/scripts";
}

// The built-in consulting scripts plus those of `dir`. A malformed file is logged with its
// file and field and left out; the server starts with the others.
std::shared_ptr<const room::script_catalog> load_scripts(const std::string& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    spdlog::info("scripts: {} does not exist; offering the built-in scripts", dir);
    return std::make_shared<const room::script_catalog>(room::script_catalog::with_built_ins());
  }
  auto loaded = room::load_script_catalog(dir);
  for (const auto& problem : loaded.problems)
    spdlog::warn("script left out: {}", problem);
  spdlog::info("scripts: {} offered ({} from {})", loaded.catalog.scripts().size(),
               loaded.catalog.scripts().size() - room::built_in_scripts().size(), dir);
  return std::make_shared<const room::script_catalog>(std::move(loaded.catalog));
}

// The reflection prompt file: data/prompts/default.txt of the checkout the binary was built
// in, else ./data/prompts/default.txt.
std::string default_prompts_file() {
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto candidate = exe.parent_path() / ".." / ".." / "data" / "prompts" / "default.txt";
    if (fs::exists(candidate, ec)) return fs::canonical(candidate, ec).string();
  }
  return "data/prompts/default.txt";
}

// Reads and parses the prompt file; throws with "<file>:<line>: <what is wrong>" when it
// cannot be used, so the server does not start with prompts nobody chose.
std::shared_ptr<const room::prompt_set> load_prompts(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read the prompt file " + file);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto parsed = room::parse_prompt_set(text, file);
  if (!parsed) throw std::runtime_error("prompt file: " + parsed.error().to_string());
  spdlog::info("prompts: {} from {}", parsed.value().size(), file);
  return std::make_shared<const room::prompt_set>(parsed.value());
}

// Reads the organiser key's hash from the data folder, creating a key at first start. The
// key itself is printed once on stdout and never stored.
room::token_hash organiser_key(const fs::path& data_dir) {
  auto path = data_dir / "organiser-key.sha256";
  std::ifstream in(path);
  std::string hex;
  if (in >> hex && hex.size() == 64) {
    room::token_hash h{};
    for (std::size_t i = 0; i < h.size(); ++i) {
      h[i] = static_cast<std::uint8_t>(std::stoi(hex.substr(i * 2, 2), nullptr, 16));
    }
    return h;
  }
  auto key = room::make_token(24);
  auto h = room::hash_token(key);
  {
    std::ofstream out(path, std::ios::trunc);
    out << room::to_hex(h) << "\n";
    if (!out) throw std::runtime_error("cannot write " + path.string());
  }
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  std::cout << "Organiser key (shown once; creating rooms on a non-loopback address needs it as "
               "'Authorization: Bearer <key>'): "
            << key << "\n"
            << "To make a new one, stop the server and delete " << path.string() << std::endl;
  return h;
}

}  // namespace

int main(int argc, char** argv) {
  app::config config;
  std::string error;
  if (!app::parse_config({argv + 1, argv + argc}, config, error)) {
    std::cerr << "colead-server: " << error << "\n";
    return 2;
  }
  if (config.help) {
    std::cout << app::usage();
    return 0;
  }
  if (config.version) {
    std::cout << "colead-server " << COLEAD_VERSION << "\n";
    return 0;
  }
  try {
    app::setup_logging(config.log_level, config.log_format);
    fs::path data_dir(config.data_dir);
    fs::create_directories(data_dir);
    ::chmod(data_dir.c_str(), 0700);
    auto& opts = config.server;
    if (opts.web_root.empty()) opts.web_root = default_web_root();
    opts.organiser_key_hash = organiser_key(data_dir);
    opts.scripts =
        load_scripts(config.scripts_dir.empty() ? default_scripts_dir() : config.scripts_dir);
    opts.prompts =
        load_prompts(config.prompts_file.empty() ? default_prompts_file() : config.prompts_file);
    opts.open_room_creation = is_loopback(opts.host);

    // The store is opened (and verified) before anything listens: a damaged or newer file
    // stops the server here with a message saying what to do.
    auto db_path = store::database_path(data_dir);
    auto opened = store::open_sqlite(db_path);
    if (!opened) {
      spdlog::error("cannot open {}: {}", db_path.string(), opened.error().message());
      std::cerr << "colead-server: cannot open " << db_path.string() << ": "
                << opened.error().message() << "\n";
      return 1;
    }
    auto store = std::move(opened.value());
    spdlog::info("store: {}", db_path.string());

    net::server server(std::move(config.server), *store);
    server.start();
    auto ep = server.endpoint();
    auto host =
        ep.address().is_v6() ? "[" + ep.address().to_string() + "]" : ep.address().to_string();
    spdlog::info("listening on http://{}:{}", host, ep.port());
    spdlog::info("open http://{}:{}/ in a browser to create a room", host, ep.port());
    int code = server.run();
    // Every acknowledged change is already durable; closing waits for writes in flight.
    store->close();
    return code;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    std::cerr << "colead-server: " << e.what() << "\n";
    return 1;
  }
}
