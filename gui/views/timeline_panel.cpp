#include "views/timeline_panel.h"

#include "model/presentation_layout.h"

#include "consilium/decision/workspace.h"

#include <algorithm>
#include <cmath>

namespace consilium::gui {
namespace {

bool clickable(const TimelineItem& it) { return !it.series_uid.empty() || it.suggestion_id != 0; }

}  // namespace

TimelinePanel::TimelinePanel(wxWindow* parent, Workstation& workstation, TimelineActions actions)
    : wxPanel(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxFULL_REPAINT_ON_RESIZE),
      workstation_(workstation), actions_(std::move(actions)) {
    SetBackgroundStyle(wxBG_STYLE_PAINT);
    loader_ = std::make_unique<TimelineLoader>(workstation_.folder() / decision::Workspace::kDatabaseName,
                                               [this, alive = std::weak_ptr<int>(alive_)](std::shared_ptr<TimelineResult> r) {
                                                   post_to_ui(alive, [this, r] { loaded(r); });
                                               });
    update_metrics();
    Bind(wxEVT_PAINT, &TimelinePanel::on_paint, this);
    Bind(wxEVT_SIZE, &TimelinePanel::on_size, this);
    Bind(wxEVT_MOUSEWHEEL, &TimelinePanel::on_wheel, this);
    Bind(wxEVT_LEFT_DOWN, &TimelinePanel::on_left_down, this);
    Bind(wxEVT_LEFT_UP, &TimelinePanel::on_left_up, this);
    Bind(wxEVT_LEFT_DCLICK, &TimelinePanel::on_double_click, this);
    Bind(wxEVT_MOTION, &TimelinePanel::on_motion, this);
    Bind(wxEVT_LEAVE_WINDOW, &TimelinePanel::on_leave, this);
    Bind(wxEVT_MOUSE_CAPTURE_LOST, [this](wxMouseCaptureLostEvent&) { dragging_ = false; });
    workstation_.patient_changed.connect([this] { reload(); });
    workstation_.suggestions_changed.connect([this] { reload(); });
}

TimelinePanel::~TimelinePanel() {
    loader_.reset();  // joins the worker; a result already posted is dropped with the alive token
}

void TimelinePanel::set_large(bool large) {
    const bool changed = large != large_;
    large_ = large;
    if (changed && patient_id_) reload();  // the lanes in the meeting's order, or back in the clinical one
    update_metrics();
    ++revision_;
    Refresh();
}

void TimelinePanel::update_metrics() {
    wxFont font = GetFont();
    if (large_) font = font.Scaled(1.5f);
    int width = 0, height = 0;
    GetTextExtent("0000-00-00", &width, &height, nullptr, nullptr, &font);
    const wxSize digits(width, height);
    TimelineMetrics m;
    const double scale = std::max(1.0, digits.y / 15.0);  // rows follow the type size
    m = m.scaled(scale);
    m.char_width = digits.x / 10.0;
    layout_.set_metrics(m);
}

void TimelinePanel::reload() {
    const auto& patient = workstation_.patient();
    hover_.reset();
    message_.clear();
    ++revision_;
    if (!patient) {
        // Closed (log-out, lock): nothing of that patient stays on screen.
        patient_id_ = 0;
        loading_ = false;
        ticket_ = 0;
        layout_.clear();
        Refresh();
        return;
    }
    if (patient->id != patient_id_) {
        patient_id_ = patient->id;
        refit_ = true;
        layout_.clear();  // never show one patient's history under another's banner
    }
    loading_ = true;
    Refresh();
    // Opening a patient says both "patient changed" and "suggestions changed": one load for both.
    if (request_scheduled_) return;
    request_scheduled_ = true;
    CallAfter([this] {
        request_scheduled_ = false;
        const auto& now = workstation_.patient();
        if (!now || now->id != patient_id_) return;  // closed meanwhile
        TimelineRequest request;
        request.patient_id = now->id;
        request.suggestions = workstation_.suggestions();
        for (const auto& s : workstation_.series()) request.series.push_back({s.study.study_uid, s.series.series_uid});
        ticket_ = loader_->request(std::move(request));
    });
}

void TimelinePanel::loaded(const std::shared_ptr<TimelineResult>& result) {
    if (result->ticket != ticket_ || result->patient_id != patient_id_) return;  // a newer load is under way
    loading_ = false;
    hover_.reset();
    ++revision_;
    if (!result->error.empty()) {
        message_ = result->error;
    } else {
        if (large_) meeting_lanes_first(result->content.lanes);
        layout_.set_content(std::move(result->content), refit_);
        refit_ = false;
    }
    Refresh();
}

void TimelinePanel::on_size(wxSizeEvent& e) {
    const wxSize size = GetClientSize();
    layout_.set_size(size.x, size.y);
    Refresh();
    e.Skip();
}

void TimelinePanel::on_wheel(wxMouseEvent& e) {
    const double steps = static_cast<double>(e.GetWheelRotation()) / std::max(1, e.GetWheelDelta());
    const auto& m = layout_.metrics();
    if (e.GetWheelAxis() == wxMOUSE_WHEEL_HORIZONTAL) {
        layout_.drag(-steps * 40, 0);
    } else if (e.ShiftDown() || e.GetX() < m.label_width) {
        layout_.scroll_by(static_cast<int>(std::lround(-steps * m.row_height * 2)));
    } else {
        layout_.zoom_at(std::pow(1.25, steps), e.GetX());
    }
    hover(e.GetPosition());
    Refresh();
}

void TimelinePanel::on_left_down(wxMouseEvent& e) {
    SetFocus();
    dragging_ = true;
    dragged_ = false;
    drag_start_ = drag_last_ = e.GetPosition();
    if (!HasCapture()) CaptureMouse();
}

void TimelinePanel::on_left_up(wxMouseEvent& e) {
    if (HasCapture()) ReleaseMouse();
    const bool was_click = dragging_ && !dragged_;
    dragging_ = false;
    if (was_click) click(e.GetPosition());
    SetCursor(wxNullCursor);
    hover(e.GetPosition());
}

void TimelinePanel::on_double_click(wxMouseEvent& e) {
    if (!layout_.hit_test(e.GetX(), e.GetY())) {
        layout_.fit_all();
        Refresh();
    }
}

void TimelinePanel::on_motion(wxMouseEvent& e) {
    const wxPoint p = e.GetPosition();
    if (dragging_ && e.LeftIsDown()) {
        if (!dragged_ && std::abs(p.x - drag_start_.x) + std::abs(p.y - drag_start_.y) > 3) {
            dragged_ = true;
            hover_.reset();
            SetCursor(wxCursor(wxCURSOR_SIZING));
        }
        if (dragged_) {
            layout_.drag(p.x - drag_last_.x, p.y - drag_last_.y);
            drag_last_ = p;
            Refresh();
        }
        return;
    }
    hover(p);
}

void TimelinePanel::on_leave(wxMouseEvent&) {
    if (hover_) {
        hover_.reset();
        Refresh();
    }
}

void TimelinePanel::hover(const wxPoint& at) {
    const auto hit = layout_.hit_test(at.x, at.y);
    const bool changed = hit != hover_ || (hit && at != mouse_);
    hover_ = hit;
    mouse_ = at;
    SetCursor(hit && clickable(layout_.item(*hit)) ? wxCursor(wxCURSOR_HAND) : wxNullCursor);
    if (changed) Refresh();
}

void TimelinePanel::click(const wxPoint& at) {
    const auto hit = layout_.hit_test(at.x, at.y);
    if (!hit) return;
    const auto& item = layout_.item(*hit);
    if (!item.series_uid.empty() && actions_.open_series) actions_.open_series(item.series_uid);
    else if (item.suggestion_id != 0 && actions_.select_suggestion) actions_.select_suggestion(item.suggestion_id);
}

}  // namespace consilium::gui
