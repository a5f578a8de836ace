#include "room/meeting_name.hpp"

#include <ctime>

namespace colead::room {

std::string meeting_name(std::string_view title, std::size_t number, std::int64_t started_at_ms) {
  if (!title.empty()) return std::string(title);
  static constexpr const char* months[] = {"January",   "February", "March",    "April",
                                           "May",       "June",     "July",     "August",
                                           "September", "October",  "November", "December"};
  const std::time_t secs = static_cast<std::time_t>(started_at_ms / 1000);
  std::tm local{};
  localtime_r(&secs, &local);
  std::string name = "Meeting ";
  name.append(std::to_string(number)).append(", ").append(std::to_string(local.tm_mday));
  name.append(" ").append(months[local.tm_mon % 12]);
  return name;
}

}  // namespace colead::room
