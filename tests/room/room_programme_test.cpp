// A room's side of its programme: sharing its learning with its cohort, raising items with the
// programme and closing them, facilitators' messages and proposals reaching the room. A room
// in an in-memory store on a manual clock, with fake devices.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fake_participant.hpp"
#include "room/cohort_link.hpp"
#include "room/learning_record.hpp"
#include "room/programme_items.hpp"
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
  EXPECT_FALSE(room_->overview().shares_learning());
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
  // The cohort's facilitators see that the room shares.
  EXPECT_TRUE(room_->overview().shares_learning());
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

// ---- raising items with the programme, and closing them --------------------------------------

// What a cohort host would hear from the room.
class recording_link final : public cohort_link {
 public:
  void items_written(const std::string& cohort_id,
                     std::vector<store::cohort_item_record> items) override {
    for (auto& item : items) {
      EXPECT_EQ(item.cohort_id, cohort_id);
      written.push_back(std::move(item));
    }
  }
  std::vector<store::cohort_item_record> written;
};

// The room in cohort "k1" (with another room of the cohort, "other"), told of by a recording
// link, with the cohort's programme merged from the store as a cohort host would.
class RoomInCohortTest : public RoomProgrammeTest {
 protected:
  explicit RoomInCohortTest(unsigned seats = 2) : RoomProgrammeTest(seats) {
    store::write_batch batch;
    batch.put_cohort({cohort_, "Frailty programme", clock_.wall_ms(), {}});
    batch.put_cohort_room({cohort_, id_, 1});
    EXPECT_TRUE(store_.submit(std::move(batch), [](store::status) {}));
    journal_.commit_all();
    model_.cohort_id = cohort_;
    options_.cohort = link_;
  }

  // The cohort's programme as a cohort host merges it from the store.
  v1::ProgrammeState full() {
    auto image = store_.load_cohort(cohort_);
    EXPECT_TRUE(image) << image.error().message();
    return merge_programme(cohort_, "Frailty programme",
                           image ? image.value().items : std::vector<store::cohort_item_record>{});
  }

  // Writes cohort items as the cohort host (or another room) would, and tells the room the
  // merged programme.
  void cohort_writes(std::vector<store::cohort_item_record> items) {
    store::write_batch batch;
    for (auto& item : items)
      batch.put_cohort_item(std::move(item));
    if (!batch.empty()) {
      EXPECT_TRUE(store_.submit(std::move(batch), [](store::status) {}));
    }
    journal_.commit_all();
    room_->programme_changed(full());
    journal_.commit_all();
  }

  void programme(std::size_t member, const std::function<void(v1::ProgrammeCommand&)>& fill) {
    v1::ClientMessage m;
    m.set_req(++req_);
    fill(*m.mutable_programme());
    send(members_[member], m);
  }

  void raise(std::size_t member, const std::string& text, bool anonymous = false,
             v1::LearningNote::Category category = v1::LearningNote::LOCAL_SYSTEM) {
    programme(member, [&](v1::ProgrammeCommand& c) {
      c.mutable_raise()->set_text(text);
      c.mutable_raise()->set_anonymous(anonymous);
      c.mutable_raise()->set_category(category);
    });
  }

  // The last programme a device was sent, or an empty one.
  static v1::ProgrammeState programme_of(const std::shared_ptr<fake_participant>& p) {
    auto all = p->of_kind(v1::ServerMessage::kProgramme);
    return all.empty() ? v1::ProgrammeState{} : all.back().programme();
  }

  std::vector<store::cohort_item_record> stored_items() {
    auto image = store_.load_cohort(cohort_);
    EXPECT_TRUE(image) << image.error().message();
    return image ? image.value().items : std::vector<store::cohort_item_record>{};
  }

  // An item another room raised.
  store::cohort_item_record other_room_item(const std::string& id, bool anonymous) {
    v1::ProgrammeItem item;
    item.set_id(id);
    item.set_room_id("other");
    item.set_room_title("Other pair");
    item.set_category(v1::LearningNote::HOW_WE_WORK);
    item.set_text("No time in job plans for this");
    item.set_anonymous(anonymous);
    item.set_raised_at_ms(clock_.wall_ms());
    return {cohort_, cohort_kind::raised, id, 1, clock_.wall_ms(), item.SerializeAsString()};
  }

  // A facilitator's proposal of `script` to this room.
  store::cohort_item_record proposal(const std::string& proposal_id, const std::string& script) {
    v1::ScriptProposal p;
    p.set_id(proposal_id);
    p.set_script_id(script);
    p.set_script_title("Troika Consulting");
    p.set_from_facilitator("Sam");
    p.set_at_ms(clock_.wall_ms());
    return {cohort_, cohort_kind::proposal, proposal_item_id(proposal_id, id_),
            1,       clock_.wall_ms(),      p.SerializeAsString()};
  }

  const std::string cohort_ = "k1";
  std::shared_ptr<recording_link> link_ = std::make_shared<recording_link>();
};

TEST_F(RoomProgrammeTest, ARoomInNoCohortIsToldSoAndNothingIsStored) {
  open();
  v1::ClientMessage m;
  m.set_req(5);
  m.mutable_programme()->mutable_raise()->set_text("Parking at the hospital");
  send(members_[0], m);
  const auto error = error_of(members_[0]);
  EXPECT_EQ(error.code(), v1::Error::NOT_ALLOWED);
  EXPECT_NE(error.message().find("not part of a programme"), std::string::npos);
  EXPECT_TRUE(
      members_[0]->of_kind(v1::ServerMessage::kWelcome)[0].welcome().room().has_programme() ==
      false);
}

TEST_F(RoomInCohortTest, WelcomeShowsTheRoomsProgramme) {
  open();
  const auto welcome = members_[0]->of_kind(v1::ServerMessage::kWelcome)[0].welcome().room();
  ASSERT_TRUE(welcome.has_programme());
  EXPECT_EQ(welcome.programme().cohort_id(), cohort_);
}

TEST_F(RoomInCohortTest, ARaisedItemIsStoredForTheCohortAndShownOnceDurable) {
  open();
  clock_.advance(60'000);
  v1::ClientMessage m;
  m.set_req(40);
  auto* raise = m.mutable_programme()->mutable_raise();
  raise->set_text("  Discharge letters reach the GP a week late\n");
  raise->set_category(v1::LearningNote::LOCAL_SYSTEM);
  raise->set_anonymous(true);
  room_->handle(members_[0], m);
  // Not yet durable: nobody has been told.
  EXPECT_EQ(acks_of(members_[0], 40), 0u);
  EXPECT_TRUE(members_[1]->of_kind(v1::ServerMessage::kProgramme).empty());
  EXPECT_TRUE(link_->written.empty());
  journal_.commit_all();

  ASSERT_EQ(acks_of(members_[0], 40), 1u);
  const auto id = members_[0]->of_kind(v1::ServerMessage::kAck).back().ack().id();
  const auto items = stored_items();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].kind, "raised");
  EXPECT_EQ(items[0].item_id, id);
  v1::ProgrammeItem stored;
  ASSERT_TRUE(stored.ParseFromString(items[0].payload));
  EXPECT_EQ(stored.text(), "Discharge letters reach the GP a week late");
  EXPECT_EQ(stored.room_id(), id_);
  EXPECT_EQ(stored.room_title(), "Frailty pair");
  EXPECT_EQ(stored.category(), v1::LearningNote::LOCAL_SYSTEM);
  EXPECT_TRUE(stored.anonymous());
  EXPECT_EQ(stored.raised_at_ms(), clock_.wall_ms());
  // The cohort is told, and every member sees the item (their own room's, so with its name).
  ASSERT_EQ(link_->written.size(), 1u);
  EXPECT_EQ(link_->written[0], items[0]);
  for (const auto& member : members_) {
    const auto shown = programme_of(member);
    ASSERT_EQ(shown.items_size(), 1);
    EXPECT_EQ(shown.items(0).id(), id);
    EXPECT_EQ(shown.items(0).room_id(), id_);
  }
}

TEST_F(RoomInCohortTest, BadItemsAreRefusedWithTheirReasonAndNothingIsStored) {
  options_.limits.max_programme_item_chars = 20;
  options_.limits.max_programme_items = 1;
  open();
  struct bad {
    std::function<void(v1::ProgrammeCommand&)> fill;
    v1::Error::Code code;
    std::string says;
  };
  const std::vector<bad> cases = {
      {[](auto& c) { c.mutable_raise()->set_text(" \n "); }, v1::Error::NOT_ALLOWED, "empty"},
      {[](auto& c) { c.mutable_raise()->set_text(std::string(21, 'x')); }, v1::Error::TOO_LARGE,
       "at most 20 characters"},
      {[](auto& c) { c.mutable_raise()->set_text("bad \xff byte"); }, v1::Error::BAD_FRAME,
       "UTF-8"},
      {[](auto& c) {
         c.mutable_raise()->set_text("Parking");
         c.mutable_raise()->set_category(static_cast<v1::LearningNote::Category>(9));
       },
       v1::Error::NOT_ALLOWED, "category"},
      {[](auto& c) { c.mutable_close()->set_item_id("nope"); }, v1::Error::NOT_ALLOWED, "no item"},
      {[](auto& c) { c.mutable_close()->set_item_id("../x"); }, v1::Error::NOT_ALLOWED, "no item"},
      {[](auto& c) { c.mutable_accept()->set_proposal_id("nope"); }, v1::Error::NOT_ALLOWED,
       "no open proposal"},
      {[](auto& c) { c.mutable_decline(); }, v1::Error::NOT_ALLOWED, "no open proposal"},
      {[](auto& c) { c.Clear(); }, v1::Error::UNKNOWN_KIND, "no action"},
  };
  for (const auto& c : cases) {
    programme(0, c.fill);
    const auto error = error_of(members_[0]);
    EXPECT_EQ(error.code(), c.code) << c.says;
    EXPECT_NE(error.message().find(c.says), std::string::npos) << error.message();
  }
  EXPECT_TRUE(stored_items().empty());
  EXPECT_TRUE(link_->written.empty());
  EXPECT_TRUE(members_[1]->of_kind(v1::ServerMessage::kProgramme).empty());
  // The room's limit of items: one here.
  raise(0, "Parking");
  raise(1, "Rotas");
  const auto error = error_of(members_[1]);
  EXPECT_EQ(error.code(), v1::Error::TOO_LARGE);
  EXPECT_NE(error.message().find("its limit"), std::string::npos) << error.message();
  EXPECT_EQ(stored_items().size(), 1u);
}

TEST_F(RoomInCohortTest, TheRoomsOwnItemStaysShownUntilTheCohortsProgrammeHasIt) {
  open();
  raise(0, "Parking");
  const auto id = members_[0]->of_kind(v1::ServerMessage::kAck).back().ack().id();
  const auto sent = members_[1]->of_kind(v1::ServerMessage::kProgramme).size();
  // The cohort tells the room of another room's item before it has this room's.
  store::write_batch batch;
  batch.put_cohort_item(other_room_item("q1", true));
  ASSERT_TRUE(store_.submit(std::move(batch), [](store::status) {}));
  journal_.commit_all();
  v1::ProgrammeState stale =
      merge_programme(cohort_, "Frailty programme", {other_room_item("q1", true)});
  room_->programme_changed(stale);
  journal_.commit_all();
  auto shown = programme_of(members_[1]);
  ASSERT_EQ(shown.items_size(), 2);
  EXPECT_EQ(members_[1]->of_kind(v1::ServerMessage::kProgramme).size(), sent + 1);
  // Another room's anonymous item comes without its room.
  for (const auto& item : shown.items()) {
    if (item.id() == "q1") {
      EXPECT_TRUE(item.room_id().empty());
      EXPECT_TRUE(item.room_title().empty());
    } else {
      EXPECT_EQ(item.id(), id);
    }
  }
  // The full programme, once more: nothing changed for the room, so nothing is sent.
  room_->programme_changed(full());
  journal_.commit_all();
  EXPECT_EQ(members_[1]->of_kind(v1::ServerMessage::kProgramme).size(), sent + 1);
  EXPECT_EQ(room_->programme().items_size(), 2);
}

TEST_F(RoomInCohortTest, OnlyTheRaisingRoomClosesAndReopensItsItemsAndEveryRoomSeesIt) {
  open();
  raise(0, "Parking");
  const auto id = members_[0]->of_kind(v1::ServerMessage::kAck).back().ack().id();
  cohort_writes({other_room_item("q1", false)});
  // Another room's item cannot be closed here.
  programme(0, [](auto& c) { c.mutable_close()->set_item_id("q1"); });
  EXPECT_EQ(error_of(members_[0]).code(), v1::Error::NOT_ALLOWED);
  EXPECT_NE(error_of(members_[0]).message().find("only the room that raised"), std::string::npos);
  // Reopening an open item is refused.
  programme(1, [&](auto& c) {
    c.mutable_close()->set_item_id(id);
    c.mutable_close()->set_reopen(true);
  });
  EXPECT_NE(error_of(members_[1]).message().find("open already"), std::string::npos);
  ASSERT_EQ(stored_items().size(), 2u);

  clock_.advance(60'000);
  programme(1, [&](auto& c) { c.mutable_close()->set_item_id(id); });
  EXPECT_EQ(acks_of(members_[1], req_), 1u);
  auto shown = programme_of(members_[0]);
  const v1::ProgrammeItem* item = nullptr;
  for (const auto& i : shown.items())
    if (i.id() == id) item = &i;
  ASSERT_NE(item, nullptr);
  EXPECT_TRUE(item->closed());
  EXPECT_EQ(item->closed_at_ms(), clock_.wall_ms());
  // The cohort's programme has it: merged from the store, as every room is shown it.
  const auto merged = full();
  bool closed = false;
  for (const auto& i : merged.items())
    if (i.id() == id) closed = i.closed();
  EXPECT_TRUE(closed);
  ASSERT_EQ(link_->written.size(), 2u);
  EXPECT_EQ(link_->written.back().kind, "closed");

  programme(0, [&](auto& c) { c.mutable_close()->set_item_id(id); });
  EXPECT_NE(error_of(members_[0]).message().find("closed already"), std::string::npos);
  programme(0, [&](auto& c) {
    c.mutable_close()->set_item_id(id);
    c.mutable_close()->set_reopen(true);
  });
  EXPECT_EQ(acks_of(members_[0], req_), 1u);
  room_->programme_changed(full());
  journal_.commit_all();
  const auto reopened = room_->programme();
  for (const auto& i : reopened.items()) {
    if (i.id() == id) {
      EXPECT_FALSE(i.closed());
    }
  }
}

// ---- proposals from the facilitators -------------------------------------------------------

class RoomProposalTest : public RoomInCohortTest {
 protected:
  RoomProposalTest() : RoomInCohortTest(3) {}

  v1::ProgrammeState proposals_shown(std::size_t member) { return programme_of(members_[member]); }

  void answer(std::size_t member, const std::string& proposal_id, bool accept) {
    programme(member, [&](v1::ProgrammeCommand& c) {
      if (accept)
        c.mutable_accept()->set_proposal_id(proposal_id);
      else
        c.mutable_decline()->set_proposal_id(proposal_id);
    });
  }

  // The cohort's `proposal_answer` item for `proposal_id`, if the room wrote one.
  std::optional<v1::ScriptProposal> answer_stored(const std::string& proposal_id) {
    for (const auto& item : stored_items()) {
      if (item.kind != "proposal_answer" || item.item_id != proposal_item_id(proposal_id, id_))
        continue;
      v1::ScriptProposal p;
      EXPECT_TRUE(p.ParseFromString(item.payload));
      return p;
    }
    return std::nullopt;
  }
};

TEST_F(RoomProposalTest, AScriptStartsOnceEveryMemberPresentAcceptsAndTheLastStartsIt) {
  open();
  // Seat 3 leaves: only the two present must accept.
  room_->detach(members_[2]);
  journal_.commit_all();
  cohort_writes({proposal("pr1", "troika")});
  ASSERT_EQ(proposals_shown(0).proposals_size(), 1);
  EXPECT_EQ(proposals_shown(0).proposals(0).id(), "pr1");
  EXPECT_EQ(proposals_shown(0).proposals(0).from_facilitator(), "Sam");

  answer(0, "pr1", true);
  EXPECT_EQ(acks_of(members_[0], req_), 1u);
  EXPECT_TRUE(members_[1]->of_kind(v1::ServerMessage::kConsultState).empty());
  ASSERT_EQ(proposals_shown(1).proposals_size(), 1);
  ASSERT_EQ(proposals_shown(1).proposals(0).accepted_by_size(), 1);
  EXPECT_EQ(proposals_shown(1).proposals(0).accepted_by(0), "m1");
  EXPECT_FALSE(answer_stored("pr1"));
  // Accepting twice changes nothing.
  answer(0, "pr1", true);
  EXPECT_EQ(acks_of(members_[0], req_), 1u);

  answer(1, "pr1", true);
  EXPECT_EQ(acks_of(members_[1], req_), 1u);
  const auto states = members_[0]->of_kind(v1::ServerMessage::kConsultState);
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(states[0].consult_state().script_id(), "troika");
  EXPECT_TRUE(states[0].consult_state().active());
  EXPECT_EQ(states[0].consult_state().started_by(), "m2");
  // The first to accept presents first.
  EXPECT_EQ(states[0].consult_state().presenter(), "m1");
  EXPECT_EQ(proposals_shown(0).proposals_size(), 0);
  const auto stored = answer_stored("pr1");
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->accepted_by_size(), 2);
  EXPECT_EQ(link_->written.back().kind, "proposal_answer");
  // Once the cohort's programme has the answer, the proposal is gone from it too.
  cohort_writes({});
  EXPECT_EQ(full().proposals_size(), 0);
  EXPECT_EQ(proposals_shown(2).proposals_size(), 0);
}

TEST_F(RoomProposalTest, WhenTheOneWhoHadNotAcceptedLeavesTheScriptStarts) {
  open();
  cohort_writes({proposal("pr4", "troika")});
  answer(1, "pr4", true);
  answer(0, "pr4", true);
  EXPECT_TRUE(members_[0]->of_kind(v1::ServerMessage::kConsultState).empty());
  // Seat 3 had not answered and leaves: everyone present has accepted.
  room_->detach(members_[2]);
  journal_.commit_all();
  const auto states = members_[0]->of_kind(v1::ServerMessage::kConsultState);
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(states[0].consult_state().script_id(), "troika");
  EXPECT_EQ(states[0].consult_state().started_by(), "m2") << "the first who accepted";
  EXPECT_EQ(states[0].consult_state().presenter(), "m2");
  EXPECT_EQ(proposals_shown(0).proposals_size(), 0);
  const auto stored = answer_stored("pr4");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->accepted_by_size(), 2);
  // A member leaving before anyone accepted starts nothing.
  cohort_writes({proposal("pr5", "troika")});
  room_->detach(members_[1]);
  journal_.commit_all();
  EXPECT_FALSE(answer_stored("pr5"));
}

TEST_F(RoomProposalTest, ADeclineEndsTheProposalAndNothingStarts) {
  open();
  cohort_writes({proposal("pr2", "troika")});
  answer(0, "pr2", true);
  answer(2, "pr2", false);
  EXPECT_EQ(acks_of(members_[2], req_), 1u);
  EXPECT_TRUE(members_[0]->of_kind(v1::ServerMessage::kConsultState).empty());
  EXPECT_EQ(proposals_shown(1).proposals_size(), 0);
  const auto stored = answer_stored("pr2");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->accepted_by_size(), 0);
  answer(1, "pr2", true);
  EXPECT_NE(error_of(members_[1]).message().find("no open proposal"), std::string::npos);
}

TEST_F(RoomProposalTest, AScriptThatCannotStartLeavesTheProposalOpenAndNothingStored) {
  open();
  v1::ClientMessage start;
  start.set_req(70);
  start.mutable_consult()->mutable_start()->set_script_id("troika");
  start.mutable_consult()->mutable_start()->set_presenter("m1");
  send(members_[0], start);
  ASSERT_EQ(members_[0]->of_kind(v1::ServerMessage::kConsultState).size(), 1u);
  cohort_writes({proposal("pr3", "troika")});
  answer(0, "pr3", true);
  answer(1, "pr3", true);
  const auto before = stored().items.size();
  answer(2, "pr3", true);
  const auto error = error_of(members_[2]);
  EXPECT_NE(error.message().find("could not start"), std::string::npos) << error.message();
  EXPECT_EQ(stored().items.size(), before);
  EXPECT_FALSE(answer_stored("pr3"));
  ASSERT_EQ(proposals_shown(0).proposals_size(), 1);
  EXPECT_EQ(proposals_shown(0).proposals(0).accepted_by_size(), 2);
}

TEST_F(RoomProposalTest, AcceptancesSoFarAreKeptOverARestart) {
  open();
  cohort_writes({proposal("pr4", "troika")});
  answer(0, "pr4", true);
  restart();
  room_->programme_changed(full());
  journal_.commit_all();
  const auto shown = room_->programme();
  ASSERT_EQ(shown.proposals_size(), 1);
  ASSERT_EQ(shown.proposals(0).accepted_by_size(), 1);
  EXPECT_EQ(shown.proposals(0).accepted_by(0), "m1");
}

// ---- facilitators' messages ---------------------------------------------------------------

TEST_F(RoomInCohortTest, AFacilitatorsMessageReachesEveryMemberAndTheLearningRecord) {
  open();
  clock_.advance(60'000);
  v1::Nudge call;
  call.set_kind(v1::Nudge::TIME_CALL);
  call.set_message("Five minutes left: time to reflect");
  call.set_from_facilitator("Sam");
  call.set_minutes_left(5);
  ASSERT_TRUE(room_->facilitator_nudge(call));
  EXPECT_TRUE(members_[0]->of_kind(v1::ServerMessage::kNudge).empty());
  journal_.commit_all();
  for (const auto& member : members_) {
    const auto nudges = member->of_kind(v1::ServerMessage::kNudge);
    ASSERT_EQ(nudges.size(), 1u);
    EXPECT_EQ(nudges[0].nudge().kind(), v1::Nudge::TIME_CALL);
    EXPECT_EQ(nudges[0].nudge().from_facilitator(), "Sam");
    EXPECT_EQ(nudges[0].nudge().minutes_left(), 5u);
    EXPECT_EQ(nudges[0].nudge().at_ms(), clock_.wall_ms());
  }
  const auto record = testing::learning_record(store_, id_, clock_);
  ASSERT_EQ(record.programme_messages_size(), 1);
  EXPECT_EQ(record.programme_messages(0).message(), "Five minutes left: time to reflect");
  const auto md = render_markdown(record);
  EXPECT_NE(md.find("## From the programme's facilitators"), std::string::npos) << md;
  EXPECT_NE(md.find("Sam called time (5 minutes left): Five minutes left"), std::string::npos)
      << md;

  // A nudge of another kind is not the facilitators' to send.
  v1::Nudge other;
  other.set_kind(v1::Nudge::REFLECT_NOW);
  other.set_message("Reflect now");
  const auto items = stored().items.size();
  EXPECT_FALSE(room_->facilitator_nudge(other));
  journal_.commit_all();
  EXPECT_EQ(stored().items.size(), items);
  EXPECT_EQ(members_[1]->of_kind(v1::ServerMessage::kNudge).size(), 1u);
}

TEST_F(RoomProgrammeTest, ARoomWithoutMessagesFromAProgrammeHasNoSuchSectionInItsRecord) {
  open();
  const auto md = render_markdown(testing::learning_record(store_, id_, clock_));
  EXPECT_EQ(md.find("From the programme"), std::string::npos);
}

}  // namespace
}  // namespace colead::room
