// The room's side of its programme (the cohort it belongs to): "you said, we did", and what
// the cohort's facilitators send the room.
//
// Members raise what gets in their way with the programme, and close (or reopen) their items
// once an answer settles them. Each is a cohort item the room writes in its own batch (kinds
// `raised` and `closed`, room/programme_items.hpp); once it is durable the room tells its
// cohort (room_options::cohort). The cohort sends back its whole programme
// (programme_changed); members see the room's view of it (view_for_room) and are sent it
// whenever that view changes. Until the cohort's programme includes what the room wrote, the
// room shows it on top, so an item a member raised never disappears.
//
// Facilitators reach the room only as visibly theirs: their messages and calls of time are
// nudges marked as from the facilitator, stored as "event" items so the learning record keeps
// them; their proposals to start a script are open proposals that members accept or decline.
// The script starts through the consult, as a member's own start would, once every member
// present has accepted (the last to accept starts it); a decline by any member ends the
// proposal. Either answer is a `proposal_answer` cohort item (accepted_by lists who accepted;
// empty for a decline). Acceptances so far are the room's own "proposal" items, so a restart
// keeps them.
//
// Nothing is shown before it is durable: the view members receive holds only what the store
// has; checks of new commands also count what is still being written.
//
// Thread safety: none; the room's strand only.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "colead/status.hpp"
#include "room/consult_feature.hpp"
#include "room/room_context.hpp"
#include "room/room_feature.hpp"
#include "room/room_records.hpp"

namespace colead::room {

class programme_feature final : public room_feature {
 public:
  // Proposals start their script through `consult`.
  programme_feature(room_context& room, consult_feature& consult);

  std::vector<v1::ClientMessage::KindCase> kinds() const override;
  void handle(const request& r, const v1::ClientMessage& message) override;
  void fill_welcome(v1::RoomSnapshot& room, const std::string& member,
                    const v1::Hello& hello) const override;
  void restore(const std::vector<store::item_record>& items,
               std::vector<store::item_record>& writes) override;
  // A member who had not accepted an open proposal left: when everyone still present has
  // accepted it, the script starts as if the last of them had just accepted.
  void presence_changed(const std::string& member) override;

  // The cohort's whole programme, after any change (merge_programme): members are sent the
  // room's view of it when that view changed. A cohort id in `full` different from the room's
  // (a room newly attached) becomes the room's.
  void programme_changed(const v1::ProgrammeState& full);

  // A facilitator's message or call of time (kind FACILITATOR_MESSAGE or TIME_CALL, with
  // from_facilitator): stored as an "event" item of the room, then sent to every connected
  // member. Returns not_allowed for another kind or text that is not valid UTF-8, and then
  // nothing is stored or sent.
  status facilitator_nudge(const v1::Nudge& nudge);

  // What members are shown now (durable only); for the room's owner and tests.
  v1::ProgrammeState view() const { return make_view(false); }

 private:
  // A cohort item the room wrote, kept over the cohort's programme until the programme
  // includes it.
  struct written {
    store::cohort_item_record record;
    bool durable = false;  // shown to members only once durable
  };
  // A proposal being accepted, or answered.
  struct proposal_entry {
    proposal_answer answer;     // as stored in the room's "proposal" item
    std::uint64_t version = 0;  // that item's version
  };

  void on_raise(const request& r, const v1::ProgrammeCommand::Raise& raise);
  void on_close(const request& r, const v1::ProgrammeCommand::Close& close);
  void on_answer(const request& r, const std::string& proposal_id, bool accept);
  // Whether every member present has accepted the proposal of `entry`.
  bool everyone_present_accepted(const proposal_entry& entry) const;
  // After `r` accepted (or declined) proposal `proposal_id`: starts its script when everyone
  // present has accepted, stores the answer and acknowledges `r`. A script that cannot start
  // puts the proposal back as `before` and answers `r` with why.
  void settle(const request& r, const std::string& proposal_id, bool accept,
              const proposal_entry& before);

  // The room's view of its programme: the cohort's view for this room with what the room
  // wrote on top; `all` includes writes not yet durable (for checks), otherwise only durable
  // ones (what members may see).
  v1::ProgrammeState make_view(bool all) const;
  // Writes `batch` (holding `items`, cohort items written for the cohort), then acknowledges
  // `r` with `ack_id`, tells the cohort and shows members the new view.
  void write(const request& r, store::write_batch batch,
             std::vector<store::cohort_item_record> items, std::string ack_id);
  // Sends members the view when it differs from the one they were last sent.
  void show();

  room_context& room_;
  consult_feature& consult_;
  v1::ProgrammeState full_;      // the cohort's programme, as the cohort last told the room
  std::vector<written> writes_;  // cohort items the room wrote, until full_ includes them
  // Proposals the room has begun to accept or has answered, by proposal id: what is decided
  // (including writes in flight), and what is durable.
  std::map<std::string, proposal_entry> proposals_;
  std::map<std::string, proposal_answer> durable_proposals_;
  std::map<std::string, std::uint64_t> closed_versions_;  // version of each `closed` item written
  std::string shown_;  // the view members were last sent, serialised
};

}  // namespace colead::room
