#pragma once
// Renders Views into pixel frames on a thread of its own, so the thread that asks (the GUI's) is
// never held up by OpenGL: on software GL the first frame of a view compiles shaders for hundreds
// of milliseconds and a 3D ray cast takes as long. Each view kind gets an offscreen render window
// on the renderer's thread; requests replace older unserved ones of the same kind (latest wins),
// and finished frames are handed to a callback on the renderer's thread. Needs an X display, and
// XInitThreads() before any other X call in the process (the GUI's main does it).
#include "consilium/viewer/scene.h"

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace consilium::viewer {

struct FrameRequest {
    std::shared_ptr<const Volume> volume;  // nothing: an empty, dark frame
    int data_revision = 0;                 // changes when the voxels changed in place (still loading)
    ViewState state;
    int width = 0, height = 0;             // pixels
    double zoom = 1.0;
    std::array<double, 2> pan_mm{};
    double azimuth = 0, elevation = 0;     // 3D: the reader's turn of the camera after fitting
    std::size_t voxel_budget_3d = 0;       // 3D on software GL: render a subsampled copy (0 = full)
};

struct RenderedFrame {
    ViewKind kind = ViewKind::axial;
    int width = 0, height = 0;
    std::vector<unsigned char> rgb;  // width*height*3, first row at the top
    // Where the pixels are in the patient (2D views): the LPS point at the centre of the
    // bottom-left pixel and the steps one pixel right and one pixel up. Lets the caller turn a
    // click into a position without asking the renderer's thread.
    bool on_plane = false;
    Vec3 origin_lps{}, right_lps{}, up_lps{};
    double mm_per_pixel = 1.0;  // also for 3D (parallel projection), for panning
    double render_ms = 0;
    bool empty = true;          // no volume: a dark frame
};

// The LPS point under pixel (x, y) of a 2D frame, y counted from the top as windows do.
std::optional<Vec3> frame_pick(const RenderedFrame& frame, double x, double y_from_top);

class FrameRenderer {
public:
    using Deliver = std::function<void(std::shared_ptr<const RenderedFrame>)>;
    // `deliver` runs on the renderer's thread; it must only hand the frame over.
    explicit FrameRenderer(Deliver deliver);
    ~FrameRenderer();  // finishes the frame in progress, releases the OpenGL resources, joins
    FrameRenderer(const FrameRenderer&) = delete;
    FrameRenderer& operator=(const FrameRenderer&) = delete;

    void request(ViewKind kind, FrameRequest request);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace consilium::viewer
