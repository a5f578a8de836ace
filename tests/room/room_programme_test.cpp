// A room's side of its programme: sharing its learning with its cohort, raising items with the
// programme and closing them, facilitators' messages and proposals reaching the room. A room
// in an in-memory store on a manual clock, with fake devices.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "fake_participant.hpp"
#include "room/room.hpp"
#include "room/room_records.hpp"
#include "store/memory_store.hpp"
#include "store_journal.hpp"

namespace colead::room {
namespace {

using testing::fake_participant;
using testing::store_journal;

class RoomProgrammeTest : public ::testing::Test {
 protected:
  explicit RoomProgrammeTest(unsigned seats = 2) : journal_(store_) {
    auto made = make_room("Frailty pair", seats, clock_);
    id_ = made.model.id;
    tokens_ = made.tokens;
    const store::status created =
        store_.submit(creation_batch(made.model, clock_.wall_ms()), [](store::status) {});
    EXPECT_TRUE(created) << created.message();
    journal_.commit_all();
    model_ = std::move(made.model);
  }

  // Makes the room from its model (once a test has set its options) and joins every seat.
  void open() {
    room_ = std::make_unique<room>(std::move(model_), clock_, journal_, options_);
    for (std::size_t seat = 0; seat < tokens_.size(); ++seat)
      members_.push_back(join(seat));
  }

  // The server stops and starts again: the room is loaded from what the store holds, in
  // and every seat joins again.
  void restart() {
    members_.clear();
    room_.reset();
    room_model loaded;
    std::string error;
    ASSERT_TRUE(model_from_image(stored(), {}, loaded, error)) << error;
    room_ = std::make_unique<room>(std::move(loaded), clock_, journal_, options_);
    room_->save_restored_items();
    journal_.commit_all();
    for (std::size_t seat = 0; seat < tokens_.size(); ++seat)
      members_.push_back(join(seat));
  }

  std::shared_ptr<fake_participant> join(std::size_t seat) {
    auto p = std::make_shared<fake_participant>();
    room_->attach(p);
    v1::ClientMessage m;
    m.set_req(1);
    m.mutable_hello()->set_token(tokens_[seat]);
    m.mutable_hello()->set_name("Member " + std::to_string(seat + 1));
    send(p, m);
    return p;
  }

  void send(const std::shared_ptr<fake_participant>& p, const v1::ClientMessage& message) {
    room_->handle(p, message);
    journal_.commit_all();
  }

  // Sends member `member` (0-based)'s settings change.
  void settings(std::size_t member, const std::function<void(v1::RoomCommand::Settings&)>& fill) {
    v1::ClientMessage m;
    m.set_req(++req_);
    fill(*m.mutable_room()->mutable_settings());
    send(members_[member], m);
  }

  // The room as the store holds it now.
  store::room_image stored() {
    auto image = store_.load_room(id_);
    EXPECT_TRUE(image) << image.error().message();
    return image ? image.value() : store::room_image{};
  }

  static v1::Error error_of(const std::shared_ptr<fake_participant>& p) {
    auto errors = p->of_kind(v1::ServerMessage::kError);
    return errors.empty() ? v1::Error{} : errors.back().error();
  }

  static std::size_t acks_of(const std::shared_ptr<fake_participant>& p, std::uint64_t re) {
    std::size_t n = 0;
    for (const auto& m : p->of_kind(v1::ServerMessage::kAck))
      n += m.re() == re ? 1 : 0;
    return n;
  }

  manual_clock clock_;
  store::memory_store store_;
  store_journal journal_;
  std::string id_;
  std::vector<std::string> tokens_;
  room_model model_;
  room_options options_;
  std::unique_ptr<room> room_;
  std::vector<std::shared_ptr<fake_participant>> members_;
  std::uint64_t req_ = 10;
};

// ---- sharing the room's learning with its cohort -------------------------------------------

TEST_F(RoomProgrammeTest, SharingIsOffUntilAMemberTurnsItOnAndEveryoneSeesWhoAndWhen) {
  open();
  auto welcome = members_[1]->of_kind(v1::ServerMessage::kWelcome)[0].welcome().room();
  EXPECT_FALSE(welcome.settings().share_with_cohort());
  EXPECT_TRUE(welcome.settings().share_changed_by().empty());

  clock_.advance(60'000);
  const auto at = clock_.wall_ms();
  settings(0, [](auto& s) { s.set_share_with_cohort(v1::RoomCommand::AUTO_ON); });

  EXPECT_EQ(acks_of(members_[0], req_), 1u);
  for (const auto& member : members_) {
    const auto changed = member->of_kind(v1::ServerMessage::kRoomChanged);
    ASSERT_EQ(changed.size(), 1u);
    const auto& s = changed[0].room_changed().settings();
    EXPECT_TRUE(s.share_with_cohort());
    EXPECT_EQ(s.share_changed_by(), "m1");
    EXPECT_EQ(s.share_changed_at_ms(), at);
    EXPECT_EQ(changed[0].room_changed().changed_by(), "m1");
  }
  // A device joining later sees it in its welcome.
  auto later = join(1);
  const auto s = later->of_kind(v1::ServerMessage::kWelcome)[0].welcome().room().settings();
  EXPECT_TRUE(s.share_with_cohort());
  EXPECT_EQ(s.share_changed_by(), "m1");
  EXPECT_EQ(s.share_changed_at_ms(), at);
}

TEST_F(RoomProgrammeTest, AnyMemberMayStopSharingAndTheChangeIsKeptOverARestart) {
  open();
  settings(0, [](auto& s) { s.set_share_with_cohort(v1::RoomCommand::AUTO_ON); });
  clock_.advance(5 * 60'000);
  const auto at = clock_.wall_ms();
  settings(1, [](auto& s) { s.set_share_with_cohort(v1::RoomCommand::AUTO_OFF); });

  restart();
  const auto s = members_[0]->of_kind(v1::ServerMessage::kWelcome)[0].welcome().room().settings();
  EXPECT_FALSE(s.share_with_cohort());
  EXPECT_EQ(s.share_changed_by(), "m2");
  EXPECT_EQ(s.share_changed_at_ms(), at);
}

TEST_F(RoomProgrammeTest, SettingOtherThingsOrTheSameValueAgainKeepsWhoLastChangedSharing) {
  open();
  const auto at = clock_.wall_ms();
  settings(0, [](auto& s) { s.set_share_with_cohort(v1::RoomCommand::AUTO_ON); });
  clock_.advance(60'000);
  settings(1, [](auto& s) { s.set_share_with_cohort(v1::RoomCommand::AUTO_ON); });
  settings(1, [](auto& s) { s.set_reflection_target_pct(50); });
  const auto s = members_[0]->of_kind(v1::ServerMessage::kRoomChanged).back().room_changed();
  EXPECT_TRUE(s.settings().share_with_cohort());
  EXPECT_EQ(s.settings().share_changed_by(), "m1");
  EXPECT_EQ(s.settings().share_changed_at_ms(), at);
  EXPECT_EQ(s.settings().reflection_target_pct(), 50u);
}

TEST_F(RoomProgrammeTest, ASharingValueTheSchemaDoesNotNameIsRefusedAndChangesNothing) {
  open();
  const auto before = stored().room;
  settings(0, [](auto& s) {
    s.set_reflection_target_pct(60);
    s.set_share_with_cohort(static_cast<v1::RoomCommand::Toggle>(7));
  });
  const auto error = error_of(members_[0]);
  EXPECT_EQ(error.code(), v1::Error::NOT_ALLOWED);
  EXPECT_NE(error.message().find("share_with_cohort"), std::string::npos) << error.message();
  EXPECT_EQ(stored().room.settings, before.settings);
  EXPECT_TRUE(members_[1]->of_kind(v1::ServerMessage::kRoomChanged).empty());
  EXPECT_EQ(room_->model().settings.reflection_target_pct, 40u);
}

}  // namespace
}  // namespace colead::room
