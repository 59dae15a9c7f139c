#pragma once
// The patient's whole history on one zoomable, pannable time axis: lanes drawn by hand from the
// TimelineLayout model (gui/model/timeline_layout.h), loaded off the UI thread. Wheel zooms about
// the cursor (shift-wheel, or the wheel over the labels, scrolls the lanes), drag pans, a
// double-click on empty space fits everything; hovering shows what an item is, a click on an
// imaging study opens its images and a click on an AI suggestion or review selects it.
#include "model/timeline_layout.h"
#include "model/timeline_loader.h"
#include "model/workstation.h"
#include "views/ui_thread.h"

#include <wx/bitmap.h>
#include <wx/panel.h>

#include <memory>

namespace consilium::gui {

struct TimelineActions {
    std::function<void(const std::string& series_uid)> open_series;  // click on an imaging event
    std::function<void(std::int64_t suggestion_id)> select_suggestion;
};

class TimelinePanel : public wxPanel {
public:
    TimelinePanel(wxWindow* parent, Workstation& workstation, TimelineActions actions);
    ~TimelinePanel() override;
    void set_large(bool large);  // MDT presentation: larger type and rows

private:
    void reload();
    void loaded(const std::shared_ptr<TimelineResult>& result);
    void update_metrics();
    void on_paint(wxPaintEvent& e);
    void on_size(wxSizeEvent& e);
    void on_wheel(wxMouseEvent& e);
    void on_left_down(wxMouseEvent& e);
    void on_left_up(wxMouseEvent& e);
    void on_double_click(wxMouseEvent& e);
    void on_motion(wxMouseEvent& e);
    void on_leave(wxMouseEvent& e);
    void hover(const wxPoint& at);
    void click(const wxPoint& at);

    Workstation& workstation_;
    TimelineActions actions_;
    TimelineLayout layout_;
    AliveToken alive_ = make_alive_token();  // results posted from the loader check it
    std::unique_ptr<TimelineLoader> loader_;
    std::uint64_t ticket_ = 0;        // the request whose result is wanted
    std::int64_t patient_id_ = 0;     // whose timeline is shown (or loading)
    bool loading_ = false;
    bool request_scheduled_ = false;  // a load is asked for on the next turn of the event loop
    bool refit_ = true;               // fit all when the next result arrives (another patient)
    std::string message_;             // a load error
    bool large_ = false;
    // The lanes as last drawn, and what they showed: redrawn when the key changes.
    struct BaseKey {
        double start = 0, end = 0;
        int scroll = 0;
        wxSize size;
        int revision = 0;
        bool operator==(const BaseKey&) const = default;
    };
    wxBitmap base_;
    BaseKey base_key_;
    int revision_ = 0;                // bumped when the content, the type size or the notice changes
    std::optional<TimelineHit> hover_;
    wxPoint mouse_;
    bool dragging_ = false, dragged_ = false;
    wxPoint drag_start_, drag_last_;
};

}  // namespace consilium::gui
