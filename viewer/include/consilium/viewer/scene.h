#pragma once
// The views a radiologist reads: three reformatted slices (axial, coronal, sagittal) and a 3D
// volume rendering, with crosshair, orientation letters, window/level, overlays (label masks,
// ROI boxes, markers). The GUI puts View::renderer() in its window; render_png() draws the very
// same View offscreen. VTK types stay out of this header except as forward declarations.
#include "consilium/viewer/presets.h"
#include "consilium/viewer/view_geometry.h"

#include <array>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

class vtkRenderer;

namespace consilium::viewer {

using Colour = std::array<double, 3>;

struct MaskOverlay {
    std::shared_ptr<const Volume> mask;  // labels > 0 are drawn; any geometry (resampled into the view)
    Colour colour{1.0, 0.2, 0.2};
    double opacity = 0.45;
};

struct RoiBox {
    Vec3 centre_lps{};
    Vec3 size_mm{};
    Colour colour{1.0, 0.85, 0.1};
    std::string label;
};

struct Marker {
    Vec3 lps{};
    Colour colour{0.2, 1.0, 0.4};
    std::string label;
};

// A measurement drawn in the views whose plane holds it: a distance line, or a region's
// outline (a box) with its statistics; `label` is drawn beside it ("42.3 mm", "mean 38 HU").
struct Ruler {
    Vec3 from_lps{}, to_lps{};
    Colour colour{1.0, 0.6, 0.1};
    std::string label;
    bool box = false;  // the two points are opposite corners of a region in the view's plane
};

struct ViewState {
    Vec3 crosshair_lps{};               // the shared point all views pass through
    WindowLevel window;                 // 2D views
    VolumePreset preset = VolumePreset::ct_bone;  // 3D view
    bool show_crosshair = true;
    bool show_letters = true;
    bool show_annotations = true;       // view name, position, window/level
    // The slice views' names in the reader's language (the workstation passes its translations).
    std::array<std::string, 3> plane_names{"Axial", "Coronal", "Sagittal"};
    std::vector<MaskOverlay> masks;
    std::vector<RoiBox> rois;
    std::vector<Marker> markers;
    std::vector<Ruler> rulers;
};

// A fresh state for a volume: crosshair at its centre, default window and 3D preset.
ViewState initial_state(const Volume& v);

class View {
public:
    View(std::shared_ptr<const Volume> volume, ViewKind kind);
    ~View();
    View(const View&) = delete;
    View& operator=(const View&) = delete;

    ViewKind kind() const;
    vtkRenderer* renderer();
    // Applies the state (plane through the crosshair, window, overlays...). Cheap when little changed.
    void update(const ViewState& state);
    // The voxels changed in place (a volume still loading): draw them again on the next update.
    void data_changed();
    // Camera fitted so the whole slice (or volume) shows, centred, in a viewport of this size.
    void fit(int width_px, int height_px);
    // After fit: magnify by `zoom` (1 = fitted) and shift the picture by `pan_mm` (screen right, up).
    // The 3D view treats pan as a shift of the camera in its own screen plane as well.
    void zoom_and_pan(double zoom, const std::array<double, 2>& pan_mm);
    // The patient point (LPS, mm) under a display pixel (VTK display coordinates: origin bottom
    // left) of a 2D view, on the plane it shows; nothing for the 3D view.
    std::optional<Vec3> pick_lps(double display_x, double display_y);
    // Software OpenGL (llvmpipe) renders 3D faster with the CPU ray caster: say which we have.
    void set_software_rendering(bool software);
    // 3D only: render from a copy subsampled to at most this many voxels (0 = full resolution), so
    // an interactive window on a software renderer answers quickly; offscreen PNGs keep full detail.
    void set_3d_voxel_budget(std::size_t max_voxels);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Offscreen, through the same View: needs an X display (Xvfb in tests). Throws std::runtime_error.
void render_png(std::shared_ptr<const Volume> volume, ViewKind kind, const ViewState& state, int width, int height,
                const std::filesystem::path& out);
// The same, for a program that does not link VTK (consilium-cli): render_png() run from the module
// libconsilium-render.so, loaded on first use. (VTK's libraries, linked in, would cost every start
// of the program ~0.1 s; see viewer/src/modules.h.) Throws std::runtime_error, also when the
// module cannot be loaded.
void render_png_in_module(std::shared_ptr<const Volume> volume, ViewKind kind, const ViewState& state, int width, int height,
                          const std::filesystem::path& out);

}  // namespace consilium::viewer
