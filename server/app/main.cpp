// colead-server: reads its configuration, prepares the data folder and serves rooms until
// SIGINT or SIGTERM.
#include <pwd.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <string_view>
#include <thread>

#include <spdlog/spdlog.h>

#include "app/backup_command.hpp"
#include "app/config.hpp"
#include "app/logging.hpp"
#include "app/privileges.hpp"
#include "net/server.hpp"
#include "net/tls.hpp"
#include "room/script_files.hpp"
#include "room/tokens.hpp"
#include "store/sqlite_store.hpp"

namespace fs = std::filesystem;
using namespace colead;

namespace {

// Where the server's own files are: <prefix>/share/colead when installed (bin/colead-server
// beside share/colead), else the checkout the binary was built in (build/bin/colead-server),
// else the working directory. `installed` and `checkout` name the file in each layout.
std::string own_file(const std::string& installed, const std::string& checkout) {
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto share = exe.parent_path() / ".." / "share" / "colead" / installed;
    if (fs::exists(share, ec)) return fs::canonical(share, ec).string();
    auto tree = exe.parent_path() / ".." / ".." / checkout;
    if (fs::exists(tree, ec)) return fs::canonical(tree, ec).string();
  }
  return checkout;
}

// The config file an installed server reads when none is named: /etc/colead/colead.conf for
// /usr/bin/colead-server, <prefix>/etc/colead/colead.conf for other prefixes. A binary in a
// build tree reads none.
std::string default_config_file() {
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec || !fs::exists(exe.parent_path() / ".." / "share" / "colead", ec)) return {};
  auto prefix = fs::canonical(exe.parent_path() / "..", ec);
  if (ec) return {};
  if (prefix == "/usr") return "/etc/colead/colead.conf";
  return (prefix / "etc" / "colead" / "colead.conf").string();
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
  std::cout << "Organiser key (shown once; creating rooms needs it, in the page or as "
               "'Authorization: Bearer <key>'): "
            << key << "\n"
            << "To make a new one, stop the server and delete " << path.string() << std::endl;
  return h;
}

// Warns when every user of the machine may read the TURN secret's file.
void check_secret_file(const std::string& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) == 0 && (st.st_mode & S_IROTH) != 0) {
    spdlog::warn(
        "turn-secret-file {} can be read by every user of this machine; make it "
        "readable by the server only (e.g. owner root, group colead, chmod 640)",
        file);
  }
}

// Fills in the files the settings left to their defaults.
void resolve_defaults(app::config& config) {
  auto& opts = config.server;
  if (opts.web_root.empty()) opts.web_root = own_file("web", "clients/web");
  if (config.scripts_dir.empty()) config.scripts_dir = own_file("scripts", "data/scripts");
  if (config.prompts_file.empty()) {
    config.prompts_file = own_file("prompts/default.txt", "data/prompts/default.txt");
  }
}

// --check-config: every file the settings name is read and checked as at start, nothing is
// written. Prints the effective settings; returns the exit code.
int check_config(app::config& config) {
  // Standard output carries the settings alone; only warnings reach standard error.
  app::setup_logging("warn", "text");
  std::vector<std::string> problems;
  try {
    load_prompts(config.prompts_file);
  } catch (const std::exception& e) {
    problems.push_back(e.what());
  }
  std::error_code ec;
  if (fs::exists(config.scripts_dir, ec)) {
    for (const auto& problem : room::load_script_catalog(config.scripts_dir).problems)
      problems.push_back("script left out: " + problem);
  }
  if (!fs::exists(fs::path(config.server.web_root) / "index.html", ec)) {
    problems.push_back("web-root " + config.server.web_root + " has no index.html");
  }
  if (config.server.tls()) {
    std::string why;
    if (!net::check_tls_files(config.server.tls_cert, config.server.tls_key, why)) {
      problems.push_back(why);
    }
  }
  if (!config.user.empty() && ::getpwnam(config.user.c_str()) == nullptr) {
    problems.push_back("user " + config.user + " does not exist");
  }
  std::cout << app::effective_settings(config);
  for (const auto& p : problems)
    std::cerr << "colead-server: " << p << "\n";
  if (!problems.empty()) return 1;
  std::cerr << "colead-server: the settings are valid\n";
  return 0;
}

// Raises the soft limit on open files to the hard one and sets the connection limit to what
// the descriptors allow (see connection_limit), so a flood meets "503" rather than a failing
// accept.
void fit_connections_to_descriptors(app::config& config) {
  auto& opts = config.server;
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  const auto fds = limit.rlim_cur == RLIM_INFINITY ? app::max_auto_connections * 2
                                                   : static_cast<std::size_t>(limit.rlim_cur);
  const auto fit = app::connection_limit(config, fds);
  if (config.max_connections_given && fit < opts.max_connections) {
    spdlog::warn(
        "connections: at most {} ({} file descriptors less {} kept for the store and "
        "logs; max-connections asks {}). Raise the limit (LimitNOFILE=, ulimit -n) for "
        "more.",
        fit, fds, app::descriptor_headroom, opts.max_connections);
  } else {
    spdlog::info("connections: at most {} ({} file descriptors{})", fit, fds,
                 config.max_connections_given ? "" : ", max-connections auto");
  }
  opts.max_connections = fit;
}

// The cores this process may run on (its CPU affinity; taskset and systemd's CPUAffinity=
// narrow it), or what the standard library reports when that cannot be read.
unsigned usable_cores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof(set), &set) == 0) {
    return static_cast<unsigned>(CPU_COUNT(&set));
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace

int main(int argc, char** argv) {
  // `colead-server backup ...` copies a running server's database, with its own options.
  if (argc > 1 && std::string_view(argv[1]) == "backup") return app::run_backup(argc - 1, argv + 1);
  app::config config;
  std::string error;
  if (!app::parse_config({argv + 1, argv + argc}, default_config_file(), config, error)) {
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
  resolve_defaults(config);
  if (config.check_config) return check_config(config);
  try {
    app::setup_logging(config.log_level, config.log_format);
    if (!config.config_file.empty()) spdlog::info("settings from {}", config.config_file);
    fs::path data_dir(config.data_dir);
    fs::create_directories(data_dir);
    ::chmod(data_dir.c_str(), 0700);
    auto& opts = config.server;
    opts.organiser_key_hash = organiser_key(data_dir);
    opts.scripts = load_scripts(config.scripts_dir);
    opts.prompts = load_prompts(config.prompts_file);
    spdlog::info("room creation: {}", opts.open_room_creation
                                          ? "open to anyone who can reach the server"
                                          : "with the organiser key only");
    if (!config.turn_secret_file.empty()) check_secret_file(config.turn_secret_file);

    // The store is opened (and verified) before anything listens: a damaged or newer file
    // stops the server here with a message saying what to do.
    auto db_path = store::database_path(data_dir);
    store::sqlite_options store_options;
    store_options.writer_cache_bytes = static_cast<std::int64_t>(config.store_cache_bytes);
    auto opened = store::open_sqlite(db_path, store_options);
    if (!opened) {
      spdlog::error("cannot open {}: {}", db_path.string(), opened.error().message());
      std::cerr << "colead-server: cannot open " << db_path.string() << ": "
                << opened.error().message() << "\n";
      return 1;
    }
    auto store = std::move(opened.value());
    spdlog::info("store: {}", db_path.string());

    fit_connections_to_descriptors(config);
    config.server.threads = app::thread_count(config, usable_cores());
    spdlog::info("threads: {} serving connections{}", config.server.threads,
                 config.threads_given ? "" : " (threads auto: one for each core it may run on)");
    const bool tls = config.server.tls();
    net::server server(std::move(config.server), *store);
    server.start();
    // Everything that needs root (a low port, files only root may read) is open by now.
    if (!config.user.empty()) {
      if (!app::become_user(config.user, config.data_dir, error)) {
        spdlog::error("{}", error);
        std::cerr << "colead-server: " << error << "\n";
        return 1;
      }
      spdlog::info("running as user {}", config.user);
    }
    auto ep = server.endpoint();
    auto host =
        ep.address().is_v6() ? "[" + ep.address().to_string() + "]" : ep.address().to_string();
    const char* scheme = tls ? "https" : "http";
    spdlog::info("listening on {}://{}:{}", scheme, host, ep.port());
    spdlog::info("open {}://{}:{}/ in a browser to create a room", scheme, host, ep.port());
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
