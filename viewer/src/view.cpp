#include "consilium/viewer/scene.h"

#include "locked_text_actor.h"
#include "vtk_bridge.h"

#include <vtkActor.h>
#include <vtkCamera.h>
#include <vtkCellArray.h>
#include <vtkCellData.h>
#include <vtkColorTransferFunction.h>
#include <vtkCoordinate.h>
#include <vtkFixedPointVolumeRayCastMapper.h>
#include <vtkGPUVolumeRayCastMapper.h>
#include <vtkImageActor.h>
#include <vtkImageMapToColors.h>
#include <vtkImageMapToWindowLevelColors.h>
#include <vtkImageMapper3D.h>
#include <vtkImageReslice.h>
#include <vtkLookupTable.h>
#include <vtkPiecewiseFunction.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderer.h>
#include <vtkTextActor.h>
#include <vtkTextProperty.h>
#include <vtkUnsignedCharArray.h>
#include <vtkVolume.h>
#include <vtkVolumeProperty.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>

namespace consilium::viewer {
namespace {

double dot(const Vec3& a, const Vec3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

// Output plane coordinates (mm along right/up from the plane origin) -> the volume's index space.
vtkSmartPointer<vtkMatrix4x4> plane_to_index(const Volume& v, const SlicePlane& p) {
    auto m = vtkSmartPointer<vtkMatrix4x4>::New();
    const Vec3 offset{p.origin_lps[0] - v.origin_lps[0], p.origin_lps[1] - v.origin_lps[1], p.origin_lps[2] - v.origin_lps[2]};
    for (int c = 0; c < 3; ++c) {  // row c of the matrix: index axis c
        const Vec3 axis{v.direction[static_cast<std::size_t>(c)], v.direction[static_cast<std::size_t>(3 + c)],
                        v.direction[static_cast<std::size_t>(6 + c)]};
        const double s = v.spacing_mm[static_cast<std::size_t>(c)];
        m->SetElement(c, 0, dot(axis, p.axes.right) / s);
        m->SetElement(c, 1, dot(axis, p.axes.up) / s);
        m->SetElement(c, 2, dot(axis, p.axes.normal) / s);
        m->SetElement(c, 3, dot(axis, offset) / s);
    }
    return m;
}

vtkSmartPointer<vtkImageReslice> make_reslice(vtkImageData* input, bool nearest) {
    auto r = vtkSmartPointer<vtkImageReslice>::New();
    r->SetInputData(input);
    r->SetOutputDimensionality(2);
    r->SetOutputOrigin(0, 0, 0);
    if (nearest) r->SetInterpolationModeToNearestNeighbor();
    else r->SetInterpolationModeToLinear();
    return r;
}

void place(vtkImageReslice* r, const Volume& v, const SlicePlane& p, double background) {
    r->SetResliceAxes(plane_to_index(v, p));
    r->SetOutputSpacing(p.pixel_mm, p.pixel_mm, 1);
    r->SetOutputExtent(0, p.columns - 1, 0, p.rows - 1, 0, 0);
    r->SetBackgroundLevel(background);
}

// Moves a text to a point of the viewport plus whole pixels.
void nudge(vtkTextActor* t, double x, double y, int dx_px, int dy_px) {
    auto reference = vtkSmartPointer<vtkCoordinate>::New();
    reference->SetCoordinateSystemToNormalizedViewport();
    reference->SetValue(x, y);
    auto* c = t->GetPositionCoordinate();
    c->SetCoordinateSystemToViewport();
    c->SetReferenceCoordinate(reference);
    c->SetValue(dx_px, dy_px);
}

vtkSmartPointer<vtkTextActor> text(double x, double y, int justify_h, int justify_v, int size) {
    auto t = vtkSmartPointer<vtkTextActor>(vtkSmartPointer<LockedTextActor>::New());
    t->GetPositionCoordinate()->SetCoordinateSystemToNormalizedViewport();
    t->SetPosition(x, y);
    auto* p = t->GetTextProperty();
    p->SetFontSize(size);
    p->SetColor(0.95, 0.85, 0.4);
    p->SetJustification(justify_h);
    p->SetVerticalJustification(justify_v);
    p->SetShadow(1);
    return t;
}

struct MaskLayer {
    std::shared_ptr<const Volume> volume;
    vtkSmartPointer<vtkImageData> image;
    vtkSmartPointer<vtkImageReslice> reslice;
    vtkSmartPointer<vtkImageMapToColors> colours;
    vtkSmartPointer<vtkImageActor> actor;
};

}  // namespace

struct View::Impl {
    std::shared_ptr<const Volume> volume;
    ViewKind kind;
    vtkSmartPointer<vtkImageData> image;
    vtkSmartPointer<vtkRenderer> renderer = vtkSmartPointer<vtkRenderer>::New();
    SlicePlane plane;
    bool software = true;

    // 2D
    vtkSmartPointer<vtkImageReslice> reslice;
    vtkSmartPointer<vtkImageMapToWindowLevelColors> window;
    vtkSmartPointer<vtkImageActor> slice;
    std::vector<MaskLayer> masks;
    vtkSmartPointer<vtkActor> lines;       // crosshair, ROI boxes, markers
    vtkSmartPointer<vtkTextActor> letters[4];
    vtkSmartPointer<vtkTextActor> top_left, bottom_left;
    std::vector<vtkSmartPointer<vtkTextActor>> labels;

    // 3D
    vtkSmartPointer<vtkVolume> volume3d;
    vtkSmartPointer<vtkVolumeMapper> mapper3d;
    std::size_t budget3d = 0;
    std::shared_ptr<Volume> reduced;   // subsampled copy when over the budget
    std::optional<VolumePreset> shown_preset;

    void build_2d();
    void update_2d(const ViewState& s);
    void build_3d();
    void update_3d(const ViewState& s);
    void draw_lines(const ViewState& s);
    // Plane coordinates (mm from the plane origin) of a patient point, and its distance off the plane.
    std::array<double, 3> on_plane(const Vec3& p) const {
        Vec3 d{p[0] - plane.origin_lps[0], p[1] - plane.origin_lps[1], p[2] - plane.origin_lps[2]};
        return {dot(d, plane.axes.right), dot(d, plane.axes.up), dot(d, plane.axes.normal)};
    }
};

void View::Impl::build_2d() {
    reslice = make_reslice(image, false);
    window = vtkSmartPointer<vtkImageMapToWindowLevelColors>::New();
    window->SetInputConnection(reslice->GetOutputPort());
    window->SetOutputFormatToRGB();
    slice = vtkSmartPointer<vtkImageActor>::New();
    slice->GetMapper()->SetInputConnection(window->GetOutputPort());
    slice->InterpolateOn();
    renderer->AddViewProp(slice);
    lines = vtkSmartPointer<vtkActor>::New();
    auto lines_mapper = vtkSmartPointer<vtkPolyDataMapper>::New();
    lines->SetMapper(lines_mapper);
    lines->GetProperty()->SetLineWidth(1.5);
    renderer->AddActor(lines);
    const EdgeLetters e = edge_letters(kind);
    letters[0] = text(0.01, 0.5, VTK_TEXT_LEFT, VTK_TEXT_CENTERED, 16);
    letters[0]->SetInput(e.left.c_str());
    letters[1] = text(0.99, 0.5, VTK_TEXT_RIGHT, VTK_TEXT_CENTERED, 16);
    letters[1]->SetInput(e.right.c_str());
    letters[2] = text(0.5, 0.99, VTK_TEXT_CENTERED, VTK_TEXT_TOP, 16);
    letters[2]->SetInput(e.top.c_str());
    letters[3] = text(0.5, 0.01, VTK_TEXT_CENTERED, VTK_TEXT_BOTTOM, 16);
    letters[3]->SetInput(e.bottom.c_str());
    // The top and bottom letters sit one annotation line inside the edge: on a narrow pane (1280 px
    // screens) the view's name and its window/level ran through them.
    nudge(letters[2], 0.5, 1.0, 0, -20);
    nudge(letters[3], 0.5, 0.0, 0, 20);
    for (auto& l : letters) renderer->AddActor2D(l);
    top_left = text(0.01, 0.99, VTK_TEXT_LEFT, VTK_TEXT_TOP, 12);
    bottom_left = text(0.01, 0.01, VTK_TEXT_LEFT, VTK_TEXT_BOTTOM, 12);
    renderer->AddActor2D(top_left);
    renderer->AddActor2D(bottom_left);
}

void View::Impl::update_2d(const ViewState& s) {
    plane = slice_plane(*volume, kind, s.crosshair_lps);
    const double background = s.window.level - s.window.window;  // below the window: black
    place(reslice, *volume, plane, background);
    window->SetWindow(std::max(1e-6, s.window.window));
    window->SetLevel(s.window.level);

    // Masks: each resliced from its own geometry onto the same plane, labels coloured, 0 clear.
    for (auto& m : masks) renderer->RemoveViewProp(m.actor);
    masks.clear();
    for (std::size_t i = 0; i < s.masks.size(); ++i) {
        const auto& overlay = s.masks[i];
        if (!overlay.mask) continue;
        MaskLayer m;
        m.volume = overlay.mask;
        m.image = vtk::wrap(*m.volume);
        m.reslice = make_reslice(m.image, true);
        place(m.reslice, *m.volume, plane, 0);
        auto table = vtkSmartPointer<vtkLookupTable>::New();
        table->SetNumberOfTableValues(2);
        table->SetTableRange(0, 1);
        table->SetTableValue(0, 0, 0, 0, 0);
        table->SetTableValue(1, overlay.colour[0], overlay.colour[1], overlay.colour[2], std::clamp(overlay.opacity, 0.0, 1.0));
        table->SetRange(0, 1);
        table->SetUseAboveRangeColor(1);
        table->SetAboveRangeColor(overlay.colour[0], overlay.colour[1], overlay.colour[2], std::clamp(overlay.opacity, 0.0, 1.0));
        table->Build();
        m.colours = vtkSmartPointer<vtkImageMapToColors>::New();
        m.colours->SetInputConnection(m.reslice->GetOutputPort());
        m.colours->SetLookupTable(table);
        m.colours->SetOutputFormatToRGBA();
        m.actor = vtkSmartPointer<vtkImageActor>::New();
        m.actor->GetMapper()->SetInputConnection(m.colours->GetOutputPort());
        m.actor->InterpolateOff();
        m.actor->SetPosition(0, 0, 0.1 * static_cast<double>(i + 1));  // in front of the slice
        renderer->AddViewProp(m.actor);
        masks.push_back(std::move(m));
    }
    draw_lines(s);

    for (auto& l : letters) l->SetVisibility(s.show_letters);
    // Where this plane is, as the patient coordinate across it (LPS mm).
    char buf[160];
    const int axis = kind == ViewKind::axial ? 2 : kind == ViewKind::coronal ? 1 : 0;
    const std::string& name = s.plane_names[kind == ViewKind::axial ? 0 : kind == ViewKind::coronal ? 1 : 2];
    const double where = s.crosshair_lps[axis];
    std::snprintf(buf, sizeof buf, "%s  %c = %.1f mm", name.c_str(), "xyz"[axis], where);
    top_left->SetInput(buf);
    std::snprintf(buf, sizeof buf, "W %.0f  L %.0f", s.window.window, s.window.level);
    bottom_left->SetInput(buf);
    top_left->SetVisibility(s.show_annotations);
    bottom_left->SetVisibility(s.show_annotations);
}

void View::Impl::draw_lines(const ViewState& s) {
    auto points = vtkSmartPointer<vtkPoints>::New();
    auto cells = vtkSmartPointer<vtkCellArray>::New();
    auto colours = vtkSmartPointer<vtkUnsignedCharArray>::New();
    colours->SetNumberOfComponents(3);
    const double z = 0.5;  // above slice and masks
    auto segment = [&](double x0, double y0, double x1, double y1, const Colour& c) {
        vtkIdType a = points->InsertNextPoint(x0, y0, z), b = points->InsertNextPoint(x1, y1, z);
        vtkIdType ids[2] = {a, b};
        cells->InsertNextCell(2, ids);
        unsigned char rgb[3] = {static_cast<unsigned char>(255 * c[0]), static_cast<unsigned char>(255 * c[1]),
                                static_cast<unsigned char>(255 * c[2])};
        colours->InsertNextTypedTuple(rgb);
    };
    const double w = (plane.columns - 1) * plane.pixel_mm, h = (plane.rows - 1) * plane.pixel_mm;
    if (s.show_crosshair) {
        auto c = on_plane(s.crosshair_lps);
        const Colour teal{0.2, 0.8, 0.9};
        // Gapped crosshair: the point itself stays visible.
        const double gap = 0.03 * std::max(w, h);
        segment(0, c[1], c[0] - gap, c[1], teal);
        segment(c[0] + gap, c[1], w, c[1], teal);
        segment(c[0], 0, c[0], c[1] - gap, teal);
        segment(c[0], c[1] + gap, c[0], h, teal);
    }
    for (auto& l : labels) renderer->RemoveActor2D(l);
    labels.clear();
    for (const auto& box : s.rois) {
        auto c = on_plane(box.centre_lps);
        const double half_depth = 0.5 * (std::fabs(box.size_mm[0] * plane.axes.normal[0]) + std::fabs(box.size_mm[1] * plane.axes.normal[1]) +
                                         std::fabs(box.size_mm[2] * plane.axes.normal[2]));
        if (std::fabs(c[2]) > half_depth + 0.5 * plane.pixel_mm) continue;  // the plane misses the box
        const double hw = 0.5 * (std::fabs(box.size_mm[0] * plane.axes.right[0]) + std::fabs(box.size_mm[1] * plane.axes.right[1]) +
                                 std::fabs(box.size_mm[2] * plane.axes.right[2]));
        const double hh = 0.5 * (std::fabs(box.size_mm[0] * plane.axes.up[0]) + std::fabs(box.size_mm[1] * plane.axes.up[1]) +
                                 std::fabs(box.size_mm[2] * plane.axes.up[2]));
        segment(c[0] - hw, c[1] - hh, c[0] + hw, c[1] - hh, box.colour);
        segment(c[0] + hw, c[1] - hh, c[0] + hw, c[1] + hh, box.colour);
        segment(c[0] + hw, c[1] + hh, c[0] - hw, c[1] + hh, box.colour);
        segment(c[0] - hw, c[1] + hh, c[0] - hw, c[1] - hh, box.colour);
    }
    for (const auto& m : s.markers) {
        auto c = on_plane(m.lps);
        if (std::fabs(c[2]) > 2.0 * plane.pixel_mm + 0.5 * std::max({volume->spacing_mm[0], volume->spacing_mm[1], volume->spacing_mm[2]}))
            continue;
        const double r = 0.015 * std::max(w, h);
        segment(c[0] - r, c[1] - r, c[0] + r, c[1] + r, m.colour);
        segment(c[0] - r, c[1] + r, c[0] + r, c[1] - r, m.colour);
    }
    // Measurements: drawn in the plane they were made in (both ends within half a slice of it).
    const double tolerance = 0.5 * std::max({volume->spacing_mm[0], volume->spacing_mm[1], volume->spacing_mm[2]}) + 0.5 * plane.pixel_mm;
    for (const auto& r : s.rulers) {
        auto a = on_plane(r.from_lps), b = on_plane(r.to_lps);
        if (std::fabs(a[2]) > tolerance || std::fabs(b[2]) > tolerance) continue;
        if (r.box) {
            segment(a[0], a[1], b[0], a[1], r.colour);
            segment(b[0], a[1], b[0], b[1], r.colour);
            segment(b[0], b[1], a[0], b[1], r.colour);
            segment(a[0], b[1], a[0], a[1], r.colour);
        } else {
            segment(a[0], a[1], b[0], b[1], r.colour);
            const double tick = 0.008 * std::max(w, h);
            segment(a[0] - tick, a[1] - tick, a[0] + tick, a[1] + tick, r.colour);
            segment(b[0] - tick, b[1] - tick, b[0] + tick, b[1] + tick, r.colour);
        }
        if (!r.label.empty()) {
            auto t = vtkSmartPointer<vtkTextActor>(vtkSmartPointer<LockedTextActor>::New());
            t->SetInput(r.label.c_str());
            t->GetPositionCoordinate()->SetCoordinateSystemToWorld();
            t->SetPosition(std::max(a[0], b[0]) + 2 * plane.pixel_mm, std::max(a[1], b[1]));
            auto* p = t->GetTextProperty();
            p->SetFontSize(13);
            p->SetColor(r.colour[0], r.colour[1], r.colour[2]);
            p->SetShadow(1);
            renderer->AddActor2D(t);
            labels.push_back(t);
        }
    }
    auto poly = vtkSmartPointer<vtkPolyData>::New();
    poly->SetPoints(points);
    poly->SetLines(cells);
    poly->GetCellData()->SetScalars(colours);
    static_cast<vtkPolyDataMapper*>(lines->GetMapper())->SetInputData(poly);
}

void View::Impl::build_3d() {
    volume3d = vtkSmartPointer<vtkVolume>::New();
    volume3d->SetUserMatrix(vtk::index_to_lps_matrix(*volume));
    renderer->AddVolume(volume3d);
    renderer->SetBackground(0.02, 0.02, 0.03);
    letters[0] = text(0.01, 0.5, VTK_TEXT_LEFT, VTK_TEXT_CENTERED, 16);
    letters[1] = text(0.99, 0.5, VTK_TEXT_RIGHT, VTK_TEXT_CENTERED, 16);
    const EdgeLetters e = edge_letters(kind);
    letters[0]->SetInput(e.left.c_str());
    letters[1]->SetInput(e.right.c_str());
    renderer->AddActor2D(letters[0]);
    renderer->AddActor2D(letters[1]);
    top_left = text(0.01, 0.99, VTK_TEXT_LEFT, VTK_TEXT_TOP, 12);
    renderer->AddActor2D(top_left);
}

// Every f-th voxel along each axis: geometry kept (same origin and axes, f times the spacing).
std::shared_ptr<Volume> subsample(const Volume& v, std::size_t budget) {
    const double ratio = static_cast<double>(v.voxel_count()) / static_cast<double>(budget);
    const int f = std::max(2, static_cast<int>(std::ceil(std::cbrt(ratio))));
    auto out = std::make_shared<Volume>();
    out->dims = {(v.dims[0] + f - 1) / f, (v.dims[1] + f - 1) / f, (v.dims[2] + f - 1) / f};
    for (int a = 0; a < 3; ++a) out->spacing_mm[a] = v.spacing_mm[a] * f;
    out->origin_lps = v.origin_lps;
    out->direction = v.direction;
    out->pixel_type = v.pixel_type;
    out->modality = v.modality;
    out->padding_value = v.padding_value;
    const std::size_t bpv = bytes_per_voxel(v.pixel_type);
    out->voxels = make_shared_buffer(out->voxel_count() * bpv, "consilium-3d");
    const auto* src = static_cast<const unsigned char*>(v.voxels->data());
    auto* dst = static_cast<unsigned char*>(out->voxels->data());
    std::size_t n = 0;
    for (int k = 0; k < out->dims[2]; ++k)
        for (int j = 0; j < out->dims[1]; ++j)
            for (int i = 0; i < out->dims[0]; ++i, ++n) {
                const std::size_t at = (static_cast<std::size_t>(k * f) * static_cast<std::size_t>(v.dims[1]) +
                                        static_cast<std::size_t>(j * f)) * static_cast<std::size_t>(v.dims[0]) +
                                       static_cast<std::size_t>(i * f);
                std::memcpy(dst + n * bpv, src + at * bpv, bpv);
            }
    return out;
}

void View::Impl::update_3d(const ViewState& s) {
    if (!mapper3d || (software != static_cast<bool>(vtkFixedPointVolumeRayCastMapper::SafeDownCast(mapper3d)))) {
        if (software) mapper3d = vtkSmartPointer<vtkFixedPointVolumeRayCastMapper>::New();
        else mapper3d = vtkSmartPointer<vtkGPUVolumeRayCastMapper>::New();
        vtkSmartPointer<vtkImageData> input = image;
        if (budget3d > 0 && volume->voxel_count() > budget3d) {
            reduced = subsample(*volume, budget3d);
            input = vtk::wrap(*reduced);
            volume3d->SetUserMatrix(vtk::index_to_lps_matrix(*reduced));
        }
        mapper3d->SetInputData(input);
        volume3d->SetMapper(mapper3d);
        shown_preset.reset();
    }
    for (int i = 0; i < 2; ++i) letters[i]->SetVisibility(s.show_letters);
    top_left->SetInput(("3D  " + to_string(s.preset)).c_str());
    top_left->SetVisibility(s.show_annotations);
    if (shown_preset == s.preset) return;  // a new transfer function costs a table rebuild: only when it changes
    shown_preset = s.preset;
    auto colour = vtkSmartPointer<vtkColorTransferFunction>::New();
    auto opacity = vtkSmartPointer<vtkPiecewiseFunction>::New();
    for (const auto& p : transfer_function(s.preset, *volume)) {
        colour->AddRGBPoint(p.value, p.r, p.g, p.b);
        opacity->AddPoint(p.value, p.opacity);
    }
    auto property = vtkSmartPointer<vtkVolumeProperty>::New();
    property->SetColor(colour);
    property->SetScalarOpacity(opacity);
    property->SetInterpolationTypeToLinear();
    const bool mip = s.preset == VolumePreset::mip;
    if (!mip) {
        property->ShadeOn();
        property->SetAmbient(0.25);
        property->SetDiffuse(0.8);
        property->SetSpecular(0.15);
    }
    mapper3d->SetBlendMode(mip ? vtkVolumeMapper::MAXIMUM_INTENSITY_BLEND : vtkVolumeMapper::COMPOSITE_BLEND);
    volume3d->SetProperty(property);
}

View::View(std::shared_ptr<const Volume> volume, ViewKind kind) : impl_(std::make_unique<Impl>()) {
    impl_->volume = std::move(volume);
    impl_->kind = kind;
    impl_->image = vtk::wrap(*impl_->volume);
    if (kind == ViewKind::volume3d) impl_->build_3d();
    else impl_->build_2d();
    update(initial_state(*impl_->volume));
}

View::~View() = default;
ViewKind View::kind() const { return impl_->kind; }
vtkRenderer* View::renderer() { return impl_->renderer; }
void View::set_software_rendering(bool software) { impl_->software = software; }

void View::update(const ViewState& state) {
    if (impl_->kind == ViewKind::volume3d) impl_->update_3d(state);
    else impl_->update_2d(state);
}

void View::zoom_and_pan(double zoom, const std::array<double, 2>& pan_mm) {
    vtkCamera* camera = impl_->renderer->GetActiveCamera();
    if (zoom > 0 && zoom != 1.0) camera->SetParallelScale(camera->GetParallelScale() / zoom);
    if (pan_mm[0] == 0 && pan_mm[1] == 0) return;
    double up[3], f[3], p[3], dop[3];
    camera->GetViewUp(up);
    camera->GetFocalPoint(f);
    camera->GetPosition(p);
    camera->GetDirectionOfProjection(dop);
    // right = direction of projection x up (screen right as the viewer sees it)
    const double right[3] = {dop[1] * up[2] - dop[2] * up[1], dop[2] * up[0] - dop[0] * up[2], dop[0] * up[1] - dop[1] * up[0]};
    double shift[3];
    for (int i = 0; i < 3; ++i) shift[i] = -(right[i] * pan_mm[0] + up[i] * pan_mm[1]);  // the picture moves, not the eye
    camera->SetFocalPoint(f[0] + shift[0], f[1] + shift[1], f[2] + shift[2]);
    camera->SetPosition(p[0] + shift[0], p[1] + shift[1], p[2] + shift[2]);
}

std::optional<Vec3> View::pick_lps(double display_x, double display_y) {
    if (impl_->kind == ViewKind::volume3d) return std::nullopt;
    vtkRenderer* r = impl_->renderer;
    r->SetDisplayPoint(display_x, display_y, 0);
    r->DisplayToWorld();
    double w[4];
    r->GetWorldPoint(w);
    if (w[3] != 0) {
        for (int i = 0; i < 3; ++i) w[i] /= w[3];
    }
    const SlicePlane& pl = impl_->plane;
    Vec3 out{};
    for (int i = 0; i < 3; ++i) out[i] = pl.origin_lps[i] + w[0] * pl.axes.right[i] + w[1] * pl.axes.up[i];
    return out;
}

void View::data_changed() {
    if (impl_->image) impl_->image->Modified();
    if (impl_->kind == ViewKind::volume3d) {
        impl_->mapper3d = nullptr;  // rebuilt (and re-subsampled) from the new voxels on the next update
        impl_->reduced.reset();
    }
}

void View::set_3d_voxel_budget(std::size_t max_voxels) { impl_->budget3d = max_voxels; }

void View::fit(int width_px, int height_px) {
    vtkCamera* camera = impl_->renderer->GetActiveCamera();
    camera->ParallelProjectionOn();
    const double aspect = height_px > 0 ? static_cast<double>(width_px) / height_px : 1.0;
    if (impl_->kind != ViewKind::volume3d) {
        const double w = (impl_->plane.columns - 1) * impl_->plane.pixel_mm, h = (impl_->plane.rows - 1) * impl_->plane.pixel_mm;
        camera->SetFocalPoint(w / 2, h / 2, 0);
        camera->SetPosition(w / 2, h / 2, 1000);
        camera->SetViewUp(0, 1, 0);
        camera->SetParallelScale(std::max(h / 2, w / 2 / aspect) * 1.02);
        camera->SetClippingRange(1, 2000);
        return;
    }
    // 3D: seen from the front (anterior), patient's left on the right, head up.
    const Vec3 centre = volume_centre_lps(*impl_->volume);
    double radius = 0;
    for (int c = 0; c < 8; ++c) {
        Vec3 p = index_to_lps(*impl_->volume, {(c & 1) ? impl_->volume->dims[0] - 1.0 : 0.0, (c & 2) ? impl_->volume->dims[1] - 1.0 : 0.0,
                                               (c & 4) ? impl_->volume->dims[2] - 1.0 : 0.0});
        radius = std::max(radius, std::sqrt((p[0] - centre[0]) * (p[0] - centre[0]) + (p[1] - centre[1]) * (p[1] - centre[1]) +
                                            (p[2] - centre[2]) * (p[2] - centre[2])));
    }
    camera->SetFocalPoint(centre[0], centre[1], centre[2]);
    camera->SetPosition(centre[0], centre[1] - 4 * radius, centre[2]);
    camera->SetViewUp(0, 0, 1);
    camera->SetParallelScale(radius * (aspect < 1 ? 1 / aspect : 1) * 1.02);
    impl_->renderer->ResetCameraClippingRange();
}

}  // namespace consilium::viewer
