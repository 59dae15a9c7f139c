#include "model/viewer_model.h"

#include "model/translate.h"
#include "consilium/viewer/measure.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace consilium::gui {

namespace {

// The volume axis (0, 1, 2) closest to the view's normal, and its spacing.
int normal_axis(const viewer::Volume& v, ViewKind view) {
    const auto n = viewer::view_axes(view).normal;
    int best = 0;
    double best_dot = -1;
    for (int axis = 0; axis < 3; ++axis) {
        double d = 0;
        for (int r = 0; r < 3; ++r) d += v.direction[r * 3 + axis] * n[r];
        if (std::abs(d) > best_dot) best_dot = std::abs(d), best = axis;
    }
    return best;
}

}  // namespace

void ViewerModel::set_volume(std::shared_ptr<const viewer::Volume> volume) {
    volume_ = std::move(volume);
    complete_ = true;
    rois_.clear();
    masks_.clear();
    if (volume_) {
        state_ = viewer::initial_state(*volume_);
        preset_name_.reset();
        zoom_ = {1, 1, 1, 1};
        pan_ = {};
    }
    measuring_ = false;
    recall_measurements();
    apply_overlays();
    changed.emit();
}

void ViewerModel::voxels_arrived(bool complete) {
    ++revision_;
    complete_ = complete;
    changed.emit();
}

void ViewerModel::clear() {
    volume_.reset();
    state_ = {};
    ruler_ids_.clear();
    measuring_ = false;
    maximised_.reset();
    rois_.clear();
    masks_.clear();
    // Whoever reads next (another patient, the meeting) starts with the AI's outlines shown:
    // hiding them is a choice for one reading, never carried over unseen.
    overlays_visible_ = true;
    changed.emit();
}

void ViewerModel::scroll(ViewKind view, int steps) {
    if (!volume_ || view == ViewKind::volume3d || steps == 0) return;
    const int axis = normal_axis(*volume_, view);
    auto index = viewer::lps_to_index(*volume_, state_.crosshair_lps);
    // Screen "away from the viewer" is a wheel step forward; keep it the same in every view by
    // following the normal's sign on this axis.
    const auto n = viewer::view_axes(view).normal;
    double sign = 0;
    for (int r = 0; r < 3; ++r) sign += volume_->direction[r * 3 + axis] * n[r];
    const double step = sign >= 0 ? 1.0 : -1.0;
    double k = std::round(index[axis]) + step * steps;
    k = std::clamp(k, 0.0, static_cast<double>(volume_->dims[axis] - 1));
    index[axis] = k;
    state_.crosshair_lps = viewer::index_to_lps(*volume_, index);
    changed.emit();
}

void ViewerModel::drag_window_level(int dx_px, int dy_px) {
    if (!volume_) return;
    // Sensitivity grows with the window so both brain and bone windows are reachable in one drag.
    const double per_px = std::max(1.0, state_.window.window / 200.0);
    state_.window.window = std::max(1.0, state_.window.window + dx_px * per_px);
    state_.window.level += dy_px * per_px;
    preset_name_.reset();
    changed.emit();
}

bool ViewerModel::apply_preset(int number) {
    const auto names = viewer::window_preset_names();
    if (!volume_ || number < 1 || number > static_cast<int>(names.size())) return false;
    auto wl = viewer::window_preset(names[number - 1]);
    if (!wl) return false;
    state_.window = *wl;
    preset_name_ = names[number - 1];
    changed.emit();
    return true;
}

std::string ViewerModel::window_label() const {
    if (preset_name_) return *preset_name_;
    char text[64];
    std::snprintf(text, sizeof text, "W %.0f L %.0f", state_.window.window, state_.window.level);
    return text;
}

void ViewerModel::reset() {
    if (!volume_) return;
    auto masks = state_.masks;
    auto rois = state_.rois;
    auto rulers = state_.rulers;
    state_ = viewer::initial_state(*volume_);
    state_.masks = std::move(masks);
    state_.rois = std::move(rois);
    state_.rulers = std::move(rulers);
    preset_name_.reset();
    zoom_ = {1, 1, 1, 1};
    pan_ = {};
    maximised_.reset();
    changed.emit();
}

void ViewerModel::set_crosshair(const viewer::Vec3& lps) {
    if (!volume_) return;
    auto index = viewer::lps_to_index(*volume_, lps);
    for (int a = 0; a < 3; ++a) index[a] = std::clamp(index[a], 0.0, static_cast<double>(volume_->dims[a] - 1));
    state_.crosshair_lps = viewer::index_to_lps(*volume_, index);
    changed.emit();
}

void ViewerModel::zoom(ViewKind view, double factor) {
    auto& z = zoom_[index(view)];
    z = std::clamp(z * factor, 0.25, 16.0);
    changed.emit();
}

void ViewerModel::pan(ViewKind view, double right_mm, double up_mm) {
    pan_[index(view)][0] += right_mm;
    pan_[index(view)][1] += up_mm;
    changed.emit();
}

void ViewerModel::toggle_maximised(ViewKind view) {
    if (maximised_ == view) maximised_.reset();
    else maximised_ = view;
    changed.emit();
}

void ViewerModel::set_evidence(std::vector<viewer::RoiBox> rois, std::vector<viewer::MaskOverlay> masks) {
    rois_ = std::move(rois);
    masks_ = std::move(masks);
    apply_overlays();
    changed.emit();
}

void ViewerModel::set_overlays_visible(bool visible) {
    overlays_visible_ = visible;
    apply_overlays();
    changed.emit();
}

void ViewerModel::apply_overlays() {
    state_.rois = overlays_visible_ ? rois_ : std::vector<viewer::RoiBox>{};
    state_.masks = overlays_visible_ ? masks_ : std::vector<viewer::MaskOverlay>{};
}

void ViewerModel::set_tool(ViewerTool tool) {
    tool_ = tool;
    measuring_ = false;
    changed.emit();
}

namespace {
// What a ruler measures, from the voxels under it.
MeasuredValues measure(const viewer::Volume& v, const viewer::Ruler& r) {
    MeasuredValues m;
    if (!r.box) {
        m.length_mm = viewer::distance_mm(r.from_lps, r.to_lps);
        return m;
    }
    viewer::Vec3 centre{}, size{};
    // The region lies in a view's plane: give it one slice of depth so the slice it shows counts.
    const double depth = std::min({v.spacing_mm[0], v.spacing_mm[1], v.spacing_mm[2]});
    for (int a = 0; a < 3; ++a) {
        centre[a] = 0.5 * (r.from_lps[a] + r.to_lps[a]);
        size[a] = std::max(std::abs(r.to_lps[a] - r.from_lps[a]), depth);
    }
    const auto st = viewer::box_statistics(v, centre, size);
    if (st.voxels == 0) return m;
    m.area_mm2 = st.area_mm2;
    m.mean = st.mean;
    m.sd = st.sd;
    if (v.modality == "CT") m.unit = "HU";
    return m;
}

std::string label_of(const MeasuredValues& m, bool region, const Translate& t) {
    char text[160];
    if (!region) {
        std::snprintf(text, sizeof text, "%.1f mm", m.length_mm.value_or(0));
        return text;
    }
    if (!m.mean) return tr(t, N_("no voxels"));
    char mean[32], sd[32], area[32];
    std::snprintf(mean, sizeof mean, "%.0f", *m.mean);
    std::snprintf(sd, sizeof sd, "%.0f", m.sd.value_or(0));
    std::snprintf(area, sizeof area, "%.0f", m.area_mm2.value_or(0));
    return fill(tr(t, N_("mean %s%s  SD %s  (%s mm²)")), {mean, m.unit.empty() ? "" : " " + m.unit, sd, area});
}

std::string label_of(const viewer::Volume& v, const viewer::Ruler& r, const Translate& t) { return label_of(measure(v, r), r.box, t); }
}  // namespace

void ViewerModel::begin_measurement(const viewer::Vec3& lps) {
    if (!volume_ || tool_ == ViewerTool::navigate) return;
    viewer::Ruler r;
    r.from_lps = r.to_lps = lps;
    r.box = tool_ == ViewerTool::region;
    state_.rulers.push_back(r);
    ruler_ids_.resize(state_.rulers.size() - 1);
    ruler_ids_.push_back(0);
    measuring_ = true;
    changed.emit();
}

void ViewerModel::drag_measurement(const viewer::Vec3& lps) {
    if (!measuring_ || state_.rulers.empty()) return;
    auto& r = state_.rulers.back();
    r.to_lps = lps;
    r.label = label_of(*volume_, r, translate_);
    changed.emit();
}

void ViewerModel::end_measurement() {
    if (!measuring_) return;
    measuring_ = false;
    auto& r = state_.rulers.back();
    // A click without a drag measures nothing.
    if (viewer::distance_mm(r.from_lps, r.to_lps) < 0.5) {
        state_.rulers.pop_back();
        ruler_ids_.resize(state_.rulers.size());
        changed.emit();
        return;
    }
    const auto values = measure(*volume_, r);
    r.label = label_of(values, r.box, translate_);
    if (keeper_) {
        const auto id = keeper_->keep(volume_->series_uid, {0, r.from_lps, r.to_lps, r.box, values});
        ruler_ids_.back() = id;
        if (id == 0) r.label += tr(translate_, N_(" (not saved)"));
    }
    changed.emit();
}

void ViewerModel::clear_measurements() {
    // Each kept one is deleted from the record; one the keeper refuses stays on screen.
    std::vector<viewer::Ruler> staying;
    std::vector<std::int64_t> staying_ids;
    for (std::size_t i = 0; i < state_.rulers.size(); ++i) {
        const auto id = i < ruler_ids_.size() ? ruler_ids_[i] : 0;
        if (id != 0 && keeper_ && !keeper_->forget(id)) {
            staying.push_back(state_.rulers[i]);
            staying_ids.push_back(id);
        }
    }
    state_.rulers = std::move(staying);
    ruler_ids_ = std::move(staying_ids);
    measuring_ = false;
    changed.emit();
}

bool ViewerModel::delete_measurement(std::size_t index) {
    if (index >= state_.rulers.size()) return false;
    ruler_ids_.resize(state_.rulers.size());
    if (ruler_ids_[index] != 0 && keeper_ && !keeper_->forget(ruler_ids_[index])) return false;
    state_.rulers.erase(state_.rulers.begin() + static_cast<std::ptrdiff_t>(index));
    ruler_ids_.erase(ruler_ids_.begin() + static_cast<std::ptrdiff_t>(index));
    measuring_ = false;
    changed.emit();
    return true;
}

void ViewerModel::recall_measurements() {
    state_.rulers.clear();
    ruler_ids_.clear();
    if (!keeper_ || !volume_) return;
    for (const auto& k : keeper_->recall(volume_->series_uid)) {
        viewer::Ruler r;
        r.from_lps = k.from_lps;
        r.to_lps = k.to_lps;
        r.box = k.region;
        r.label = label_of(k.values, k.region, translate_);
        state_.rulers.push_back(std::move(r));
        ruler_ids_.push_back(k.id);
    }
}

std::pair<int, int> ViewerModel::slice_of(ViewKind view) const {
    if (!volume_ || view == ViewKind::volume3d) return {0, 0};
    const int axis = normal_axis(*volume_, view);
    const auto index = viewer::lps_to_index(*volume_, state_.crosshair_lps);
    return {static_cast<int>(std::lround(index[axis])) + 1, volume_->dims[axis]};
}

}  // namespace consilium::gui
