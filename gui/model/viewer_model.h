#pragma once
// What the radiologist is looking at: one volume, the crosshair all views share, window/level,
// zoom and pan per view, which view is maximised, overlays. The wx canvases only translate mouse
// and keys into these calls and redraw when `changed` fires.
#include "model/translate.h"
#include "model/measurement_keeper.h"
#include "model/signal.h"

#include "consilium/viewer/scene.h"

#include <array>
#include <memory>
#include <optional>
#include <string>

namespace consilium::gui {

using viewer::ViewKind;

// What a left-drag does in a 2D view.
enum class ViewerTool { navigate, distance, region };

class ViewerModel {
public:
    static constexpr int kViews = 4;  // axial, coronal, sagittal, 3D: the 2x2 layout in this order

    // The words of measurement labels ("mean", "no voxels") in the reader's language (none: English).
    void set_translate(Translate translate) { translate_ = std::move(translate); }

    void set_volume(std::shared_ptr<const viewer::Volume> volume);
    void clear();
    // More voxels arrived in the volume's buffer (a series shown while it loads); `complete` once all have.
    void voxels_arrived(bool complete);
    int revision() const { return revision_; }
    bool complete() const { return complete_; }
    bool has_volume() const { return volume_ != nullptr; }
    const std::shared_ptr<const viewer::Volume>& volume() const { return volume_; }
    const viewer::ViewState& state() const { return state_; }

    // Wheel: move the crosshair `steps` slices along the view's normal (clamped to the volume).
    void scroll(ViewKind view, int steps);
    // Right-drag by pixels: right widens the window, down raises the level (as PACS viewers do).
    void drag_window_level(int dx_px, int dy_px);
    // Number keys 1..6: the CT presets in window_preset_names() order; false when there is none.
    bool apply_preset(int number);
    std::string window_label() const;  // "W 400 L 40" or the preset's name
    // `R`: crosshair to the centre, default window, zoom 1, no pan.
    void reset();
    void set_crosshair(const viewer::Vec3& lps);
    void zoom(ViewKind view, double factor);                  // ctrl-wheel
    void pan(ViewKind view, double right_mm, double up_mm);   // middle-drag
    double zoom_of(ViewKind view) const { return zoom_[index(view)]; }
    std::array<double, 2> pan_of(ViewKind view) const { return pan_[index(view)]; }
    // Double-click: one view fills the viewer; again: back to 2x2.
    void toggle_maximised(ViewKind view);
    std::optional<ViewKind> maximised() const { return maximised_; }

    // AI evidence shown on the images; hidden and shown again with the overlay toggle.
    void set_evidence(std::vector<viewer::RoiBox> rois, std::vector<viewer::MaskOverlay> masks);
    void set_overlays_visible(bool visible);
    bool overlays_visible() const { return overlays_visible_; }
    // AI outlines (regions or masks) exist for what is shown, hidden or not.
    bool has_overlays() const { return !rois_.empty() || !masks_.empty(); }
    // Slice number (1-based) and count along a 2D view's normal, for the annotation.
    std::pair<int, int> slice_of(ViewKind view) const;

    // Measurements: a left-drag with the distance or region tool. With a keeper they are part of
    // the reading: kept for the volume's series when made, shown again whenever that series is
    // set, deleted from the record when cleared. Without one they last as long as the volume.
    void set_keeper(MeasurementKeeper* keeper) { keeper_ = keeper; }
    void set_tool(ViewerTool tool);
    ViewerTool tool() const { return tool_; }
    void begin_measurement(const viewer::Vec3& lps);
    void drag_measurement(const viewer::Vec3& lps);
    void end_measurement();
    void clear_measurements();
    // Deletes one (index in measurements()); false when the keeper refused (it stays).
    bool delete_measurement(std::size_t index);
    const std::vector<viewer::Ruler>& measurements() const { return state_.rulers; }
    // Whether measurements()[index] is kept in the record (a keeper failed or there is none: not).
    bool kept(std::size_t index) const { return index < ruler_ids_.size() && ruler_ids_[index] != 0; }

    Signal<> changed;

private:
    Translate translate_;
    static int index(ViewKind view) { return static_cast<int>(view); }
    void apply_overlays();
    void recall_measurements();

    std::shared_ptr<const viewer::Volume> volume_;
    viewer::ViewState state_;
    std::optional<std::string> preset_name_;
    std::array<double, kViews> zoom_{1, 1, 1, 1};
    std::array<std::array<double, 2>, kViews> pan_{};
    std::optional<ViewKind> maximised_;
    std::vector<viewer::RoiBox> rois_;
    std::vector<viewer::MaskOverlay> masks_;
    bool overlays_visible_ = true;
    int revision_ = 0;
    ViewerTool tool_ = ViewerTool::navigate;
    bool measuring_ = false;
    MeasurementKeeper* keeper_ = nullptr;
    std::vector<std::int64_t> ruler_ids_;  // beside state_.rulers: the keeper's id, 0 when not kept
    bool complete_ = true;
};

}  // namespace consilium::gui
