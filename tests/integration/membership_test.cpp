// Seats and members: a seat's token is one member on any number of devices, a room never has
// more members than seats, a wrong token is refused, and presence reaches everyone.
#include <set>

#include "server_test_fixture.hpp"

namespace colead::integration {
namespace {

using Membership = ServerTest;

// True when `presence` lists exactly `count` members, all online with `devices` devices.
std::function<bool(const v1::Presence&)> all_online(int count, unsigned devices) {
  return [=](const v1::Presence& p) {
    if (p.members_size() != count) return false;
    for (const auto& m : p.members()) {
      if (!m.online() || m.devices() != devices) return false;
    }
    return true;
  };
}

TEST_F(Membership, SameTokenIsTheSameMemberOnAnotherDevice) {
  auto room = make_room(2);
  v1::Welcome first, second, other;
  auto phone = join(room, 0, "Ann", encoding::binary, &first);
  auto laptop = join(room, 0, "Ann", encoding::json, &second);
  auto partner = join(room, 1, "Bea", encoding::binary, &other);
  ASSERT_TRUE(phone && laptop && partner);
  EXPECT_NE(phone->client_id(), laptop->client_id());

  EXPECT_FALSE(first.member_id().empty());
  EXPECT_EQ(second.member_id(), first.member_id());
  EXPECT_NE(other.member_id(), first.member_id());
  EXPECT_EQ(second.room().members_size(), 1) << second.room().DebugString();
  EXPECT_EQ(other.room().members_size(), 2) << other.room().DebugString();

  // Everyone learns there are two members, Ann on two devices and Bea on one.
  auto settled = presence_where([&](const v1::Presence& p) {
    const auto* ann = find_member(p.members(), first.member_id());
    const auto* bea = find_member(p.members(), other.member_id());
    return p.members_size() == 2 && ann && bea && ann->online() && ann->devices() == 2 &&
           bea->online() && bea->devices() == 1;
  });
  for (auto* conn : {phone.get(), laptop.get(), partner.get()}) {
    EXPECT_TRUE(conn->receive_matching(settled, expect_within)) << conn->last_error();
  }
}

TEST_F(Membership, RoomNeverHasMoreMembersThanSeats) {
  constexpr int seats = 3;
  auto room = make_room(seats, "Trio");
  std::vector<std::unique_ptr<client::connection>> devices;
  std::set<std::string> member_ids;
  // Every seat joins twice, in both subprotocols: still exactly `seats` members.
  for (int round = 0; round < 2; ++round) {
    for (int seat = 0; seat < seats; ++seat) {
      v1::Welcome welcome;
      auto conn = join(room, seat, "Member " + std::to_string(seat),
                       round == 0 ? encoding::binary : encoding::json, &welcome);
      ASSERT_NE(conn, nullptr);
      EXPECT_LE(welcome.room().members_size(), seats);
      EXPECT_EQ(welcome.room().seats(), static_cast<unsigned>(seats));
      member_ids.insert(welcome.member_id());
      devices.push_back(std::move(conn));
    }
  }
  EXPECT_EQ(member_ids.size(), static_cast<std::size_t>(seats));
  for (auto& conn : devices) {
    auto presence = conn->receive_matching(presence_where(all_online(seats, 2)), expect_within);
    ASSERT_TRUE(presence) << conn->last_error();
    for (const auto& m : presence->presence().members()) {
      EXPECT_TRUE(member_ids.count(m.member_id())) << m.member_id();
    }
  }
  // And no presence ever listed more.
  for (auto& conn : devices) {
    while (auto m = conn->receive(std::chrono::milliseconds(0))) {
      if (m->has_presence()) {
        EXPECT_LE(m->presence().members_size(), seats);
      }
    }
  }
}

TEST_F(Membership, BadTokenGetsFatalUnauthorized) {
  auto room = make_room(2);
  client::connection conn;
  ASSERT_TRUE(conn.connect(server_->url(), room.id(), encoding::json, expect_within).is_ok());
  auto joined = conn.hello({"not-a-token-of-this-room", "Mallory", "", ""}, expect_within);
  EXPECT_FALSE(joined.outcome.is_ok());
  ASSERT_NE(joined.error(), nullptr) << joined.outcome.message();
  EXPECT_EQ(joined.error()->code(), v1::Error::UNAUTHORIZED);
  EXPECT_TRUE(joined.error()->fatal());
  EXPECT_FALSE(joined.error()->message().empty());
  conn.wait_closed(expect_within);
  EXPECT_FALSE(conn.is_open());

  // The refused hello took no seat.
  v1::Welcome welcome;
  auto member = join(room, 0, "Ann", encoding::binary, &welcome);
  ASSERT_NE(member, nullptr);
  EXPECT_EQ(welcome.room().members_size(), 1);
}

using Presence = ServerTest;

TEST_F(Presence, GoesToEveryoneWhenMembersJoinLeaveAndDrop) {
  auto room = make_room(3, "Trio");
  v1::Welcome wa, wb, wc;
  auto a = join(room, 0, "Ann", encoding::binary, &wa);
  ASSERT_NE(a, nullptr);
  auto online = [](const std::string& id, bool is_online) {
    return presence_where([=](const v1::Presence& p) {
      const auto* m = find_member(p.members(), id);
      return m != nullptr && m->online() == is_online;
    });
  };

  auto b = join(room, 1, "Bea", encoding::json, &wb);
  ASSERT_NE(b, nullptr);
  for (auto* conn : {a.get(), b.get()}) {
    EXPECT_TRUE(conn->receive_matching(online(wb.member_id(), true), expect_within))
        << "no presence with Bea online: " << conn->last_error();
  }

  auto c = join(room, 2, "Cai", encoding::binary, &wc);
  ASSERT_NE(c, nullptr);
  for (auto* conn : {a.get(), b.get(), c.get()}) {
    EXPECT_TRUE(conn->receive_matching(online(wc.member_id(), true), expect_within))
        << "no presence with Cai online: " << conn->last_error();
  }

  // Bea leaves with a close frame.
  b->close();
  for (auto* conn : {a.get(), c.get()}) {
    auto p = conn->receive_matching(online(wb.member_id(), false), expect_within);
    ASSERT_TRUE(p) << "no presence with Bea offline: " << conn->last_error();
    EXPECT_EQ(p->presence().members_size(), 3);
  }

  // Cai's network goes: no close frame, the TCP connection just ends.
  c->drop();
  auto p = a->receive_matching(online(wc.member_id(), false), expect_within);
  ASSERT_TRUE(p) << "no presence with Cai offline: " << a->last_error();
  const auto* ann = find_member(p->presence().members(), wa.member_id());
  ASSERT_NE(ann, nullptr);
  EXPECT_TRUE(ann->online());
}

using Reconnect = ServerTest;

TEST_F(Reconnect, KeepsTheMemberAndReplaysMissedEdits) {
  auto room = make_room(2);
  v1::Welcome wa, wb;
  auto a = join(room, 0, "Ann", encoding::binary, &wa);
  auto b = join(room, 1, "Bea", encoding::json, &wb);
  ASSERT_TRUE(a && b);
  ASSERT_GT(wa.room().docs_size(), 0);
  const auto& doc = wa.room().docs(0);
  auto base = doc.rev();
  auto length = static_cast<std::uint32_t>(doc.text().size());  // ASCII in a new room

  auto edit = [&](client::connection& conn, std::uint64_t base_rev, std::uint32_t retain,
                  const std::string& text, const std::string& edit_id) {
    v1::ClientMessage m;
    auto* e = m.mutable_edit();
    e->set_doc(doc.id());
    e->set_base_rev(base_rev);
    if (retain > 0) e->add_op()->set_retain(retain);
    e->add_op()->set_insert(text);
    e->set_edit_id(edit_id);
    EXPECT_TRUE(conn.send(m).is_ok());
    auto req = m.req();
    return conn.receive_matching(
        [req](const v1::ServerMessage& s) {
          return s.re() == req && (s.has_ack() || s.has_error());
        },
        expect_within);
  };

  auto ack = edit(*a, base, length, "We share ", "ann-1");
  ASSERT_TRUE(ack && ack->has_ack()) << (ack ? ack->DebugString() : a->last_error());
  EXPECT_EQ(ack->ack().rev(), base + 1);
  EXPECT_EQ(a->known_revisions().at(doc.id()), base + 1);

  // Ann's connection drops; Bea edits meanwhile.
  auto client_id = a->client_id();
  a->drop();
  ASSERT_TRUE(b->receive_matching(kind_is(v1::ServerMessage::kApplied), expect_within));
  auto ack_b = edit(*b, base + 1, length + 9, "purpose", "bea-1");
  ASSERT_TRUE(ack_b && ack_b->has_ack()) << (ack_b ? ack_b->DebugString() : b->last_error());
  EXPECT_EQ(ack_b->ack().rev(), base + 2);

  auto again = a->reconnect();
  ASSERT_TRUE(again.outcome.is_ok()) << again.outcome.message();
  EXPECT_EQ(again.welcome().member_id(), wa.member_id());
  EXPECT_EQ(a->client_id(), client_id);
  const auto* now = [&]() -> const v1::DocumentState* {
    for (const auto& d : again.welcome().room().docs()) {
      if (d.id() == doc.id()) return &d;
    }
    return nullptr;
  }();
  ASSERT_NE(now, nullptr);
  EXPECT_EQ(now->rev(), base + 2);
  EXPECT_EQ(now->text(), doc.text() + "We share purpose");
  // The server replays what Ann missed: Bea's edit.
  auto replayed = a->receive_matching(
      [&](const v1::ServerMessage& m) { return m.has_applied() && m.applied().rev() == base + 2; },
      expect_within);
  ASSERT_TRUE(replayed) << a->last_error();
  EXPECT_EQ(replayed->applied().edit_id(), "bea-1");
  EXPECT_EQ(replayed->applied().author(), wb.member_id());
}

}  // namespace
}  // namespace colead::integration
