#include "model/meeting_board.h"

#include "model/translate.h"
#include "model/user_words.h"

#include "consilium/decision/mdt.h"

#include <algorithm>
#include <sstream>

namespace consilium::gui {

std::vector<decision::Meeting> MeetingBoard::meetings() { return workstation_.store().meetings().list(); }

std::string MeetingBoard::create(const std::string& name, const std::string& date) {
    if (!workstation_.logged_in()) return tr(workstation_.translate(), N_("log in first"));
    try {
        auto m = decision::create_meeting(workstation_.store(), workstation_.session(), name, date);
        return open(m.id);
    } catch (const std::exception& e) {
        return e.what();
    }
}

std::string MeetingBoard::open(std::int64_t meeting_id) {
    auto m = workstation_.store().meetings().find(meeting_id);
    if (!m) return fill(tr(workstation_.translate(), N_("meeting %s: no such MDT meeting")), {std::to_string(meeting_id)});
    meeting_ = std::move(m);
    current_.reset();
    reload_cases();
    changed.emit();
    return "";
}

void MeetingBoard::close() {
    meeting_.reset();
    cases_.clear();
    current_.reset();
    changed.emit();
}

void MeetingBoard::reload_cases() {
    cases_.clear();
    if (!meeting_) return;
    for (auto& c : workstation_.store().meetings().cases(meeting_->id)) {
        BoardCase row{std::move(c), "", "", ""};
        if (auto p = workstation_.store().patients().find(row.entry.patient_id)) {
            row.patient_name = p->name;
            row.mrn = p->mrn;
        }
        if (row.entry.decision_event_id) {
            // The case list shows what was decided, not only that it was.
            decision::TimelineFilter mdt;
            mdt.kinds = {decision::EventKind::mdt};
            for (const auto& e : workstation_.store().timeline().events(row.entry.patient_id, mdt))
                if (e.id == *row.entry.decision_event_id) row.decision_text = e.value_text.value_or("");
        }
        cases_.push_back(std::move(row));
    }
    if (current_ && *current_ >= cases_.size()) current_.reset();
}

std::string MeetingBoard::add_open_patient(const std::string& question) {
    if (!workstation_.logged_in()) return tr(workstation_.translate(), N_("log in first"));
    if (!meeting_) return tr(workstation_.translate(), N_("open or create a meeting first"));
    if (!workstation_.patient()) return tr(workstation_.translate(), N_("open the patient first"));
    try {
        decision::add_meeting_case(workstation_.store(), workstation_.session(), meeting_->id, workstation_.patient()->id,
                                   question);
    } catch (const std::exception& e) {
        return in_users_words(e.what(), workstation_.patient()->name);
    }
    reload_cases();
    changed.emit();
    return "";
}

bool MeetingBoard::select(std::size_t index) {
    if (index >= cases_.size()) return false;
    current_ = index;
    changed.emit();
    return true;
}

bool MeetingBoard::next() {
    const std::size_t at = current_ ? *current_ + 1 : 0;
    return select(at);
}

bool MeetingBoard::previous() {
    if (!current_ || *current_ == 0) return false;
    return select(*current_ - 1);
}

std::size_t MeetingBoard::first_undecided() const {
    for (std::size_t i = 0; i < cases_.size(); ++i)
        if (!cases_[i].decided()) return i;
    return 0;
}

std::string MeetingBoard::record_decision(const std::string& text, const std::string& attendee_lines) {
    if (!workstation_.logged_in()) return tr(workstation_.translate(), N_("log in first"));
    const BoardCase* c = current_case();
    if (!meeting_ || !c) return tr(workstation_.translate(), N_("choose a case of the meeting first"));
    // The decision goes into the record on screen: never into another patient's.
    if (!workstation_.patient() || workstation_.patient()->id != c->entry.patient_id)
        return tr(workstation_.translate(), N_("the open record is not this case's patient; open the case again"));
    try {
        decision::record_board_decision(workstation_.store(), workstation_.session(), meeting_->id, c->entry.patient_id, text,
                                        attendees_from_lines(attendee_lines));
    } catch (const std::exception& e) {
        return in_users_words(e.what(), c->patient_name);
    }
    reload_cases();
    workstation_.refresh_suggestions();  // the timeline redraws with the new mdt event
    changed.emit();
    return "";
}

bool MeetingBoard::may_hold() const {
    return workstation_.logged_in() && decision::allowed(workstation_.session().user.role, decision::Permission::hold_meetings);
}

std::vector<std::string> attendees_from_lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        const auto first = line.find_first_not_of(" \t\r");
        if (first == std::string::npos) continue;
        auto name = line.substr(first, line.find_last_not_of(" \t\r") - first + 1);
        if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(std::move(name));
    }
    return out;
}

std::string meeting_label(const decision::Meeting& meeting) { return meeting.date + "  " + meeting.name; }

}  // namespace consilium::gui
