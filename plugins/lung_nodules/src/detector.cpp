// The detector's pipeline; the rules are described in detector.h.
#include "detector.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace consilium::lung {
namespace {

double clamp01(double x) { return x < 0 ? 0 : x > 1 ? 1 : x; }

// Extent along L, P, S of the voxels (as boxes) of the index box [lo, hi].
std::array<double, 3> lps_extent(const Grid& g, const std::array<int, 3>& lo, const std::array<int, 3>& hi) {
    std::array<double, 3> mn{}, mx{};
    mn.fill(std::numeric_limits<double>::max());
    mx.fill(std::numeric_limits<double>::lowest());
    for (int corner = 0; corner < 8; ++corner) {
        const auto p = g.to_lps((corner & 1) ? hi[0] + 0.5 : lo[0] - 0.5, (corner & 2) ? hi[1] + 0.5 : lo[1] - 0.5,
                                (corner & 4) ? hi[2] + 0.5 : lo[2] - 0.5);
        for (std::size_t a = 0; a < 3; ++a) {
            mn[a] = std::min(mn[a], p[a]);
            mx[a] = std::max(mx[a], p[a]);
        }
    }
    return {mx[0] - mn[0], mx[1] - mn[1], mx[2] - mn[2]};
}

// Superior-inferior (LPS z) range of the voxels of the index box [lo, hi].
std::array<double, 2> z_range(const Grid& g, const std::array<int, 3>& lo, const std::array<int, 3>& hi) {
    double zmin = std::numeric_limits<double>::max(), zmax = std::numeric_limits<double>::lowest();
    for (int corner = 0; corner < 8; ++corner) {
        const double z = g.to_lps((corner & 1) ? hi[0] : lo[0], (corner & 2) ? hi[1] : lo[1], (corner & 4) ? hi[2] : lo[2])[2];
        zmin = std::min(zmin, z);
        zmax = std::max(zmax, z);
    }
    return {zmin, zmax};
}

bool touches_slice_edge(const Component& c, const Grid& g) {
    return c.bbox_min[0] == 0 || c.bbox_min[1] == 0 || c.bbox_max[0] == g.dims[0] - 1 || c.bbox_max[1] == g.dims[1] - 1;
}

}  // namespace

double nodule_confidence(double diameter_mm, double elongation, double roundness, const Params& p) {
    const double straight = clamp01((p.max_elongation - elongation) / (p.max_elongation - 1));
    const double round = clamp01((roundness - p.min_roundness) / (1 - p.min_roundness));
    const double shape = 0.5 * straight + 0.5 * round;
    double size = 1;
    if (diameter_mm < 6) size = 0.5 + 0.5 * clamp01((diameter_mm - p.min_diameter_mm) / (6 - p.min_diameter_mm));
    else if (diameter_mm > 20) size = 1 - 0.3 * clamp01((diameter_mm - 20) / (p.max_diameter_mm - 20));
    return std::round((0.1 + 0.7 * shape * size) * 100) / 100;
}

Detection detect_nodules(const HuVolume& v, const Params& p, const std::function<void(double)>& step) {
    const Grid& g = v.grid;
    Detection d;
    std::vector<std::uint8_t> mask(g.voxels());

    // 1. The lungs.
    threshold_at_most(v, p.air_max_hu, mask.data());
    step(0.1);
    auto air = connected_components(mask.data(), g, false);
    step(0.35);
    air.erase(std::remove_if(air.begin(), air.end(), [&](const Component& c) { return touches_slice_edge(c, g); }),
              air.end());
    std::sort(air.begin(), air.end(), [](const Component& a, const Component& b) { return a.voxels > b.voxels; });
    std::vector<const Component*> lungs;
    if (!air.empty() && air[0].volume_mm3 >= p.min_lung_ml * 1000) lungs.push_back(&air[0]);
    if (lungs.size() == 1 && air.size() > 1 && air[1].volume_mm3 >= p.second_lung_fraction * air[0].volume_mm3 &&
        air[1].volume_mm3 >= p.min_lung_ml * 1000)
        lungs.push_back(&air[1]);
    d.lungs = static_cast<int>(lungs.size());
    if (lungs.empty()) return d;
    std::fill(mask.begin(), mask.end(), std::uint8_t{0});
    // The midline: between the two lungs' centroids, else the centre of the field of view.
    double midline_x = lungs.size() == 2 ? 0 : g.to_lps((g.dims[0] - 1) / 2.0, (g.dims[1] - 1) / 2.0, 0)[0];
    double zmin = std::numeric_limits<double>::max(), zmax = std::numeric_limits<double>::lowest();
    for (const auto* l : lungs) {
        paint(l->runs, g, 1, mask.data());
        d.lung_volume_ml += l->volume_mm3 / 1000;
        if (lungs.size() == 2) midline_x += l->centroid_lps[0] / 2;
        const auto z = z_range(g, l->bbox_min, l->bbox_max);
        zmin = std::min(zmin, z[0]);
        zmax = std::max(zmax, z[1]);
    }
    air.clear();

    // 2. Dense voxels in the holes of the lung mask.
    mark_slice_holes(g, mask.data());
    keep_dense_holes(v, p.tissue_min_hu, mask.data());
    step(0.5);
    auto blobs = connected_components(mask.data(), g, true);
    step(0.8);
    d.candidates = blobs.size();

    // 3. Size and shape.
    std::vector<std::pair<Nodule, const Component*>> kept;
    for (const auto& b : blobs) {
        if (b.equivalent_diameter_mm < p.min_diameter_mm) { ++d.too_small; continue; }
        if (b.equivalent_diameter_mm > p.max_diameter_mm) { ++d.too_large; continue; }
        if (b.elongation > p.max_elongation) { ++d.elongated; continue; }
        if (b.roundness < p.min_roundness) { ++d.irregular; continue; }
        Nodule n;
        n.center_lps = b.centroid_lps;
        n.size_lps_mm = lps_extent(g, b.bbox_min, b.bbox_max);
        n.diameter_mm = b.equivalent_diameter_mm;
        n.volume_mm3 = b.volume_mm3;
        n.mean_hu = mean_hu(v, b.runs);
        n.elongation = b.elongation;
        n.roundness = b.roundness;
        n.confidence = nodule_confidence(n.diameter_mm, n.elongation, n.roundness, p);
        // Patient left is +x in LPS; the zones are thirds of the lungs' height (superior is +z).
        n.side = n.center_lps[0] > midline_x ? "left" : "right";
        const double t = zmax > zmin ? (zmax - n.center_lps[2]) / (zmax - zmin) : 0.5;
        n.zone = t < 1.0 / 3 ? "upper" : t < 2.0 / 3 ? "middle" : "lower";
        kept.emplace_back(n, &b);
    }
    std::stable_sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) {
        return a.first.confidence != b.first.confidence ? a.first.confidence > b.first.confidence
                                                        : a.first.diameter_mm > b.first.diameter_mm;
    });
    if (kept.size() > p.max_candidates) {
        d.over_cap = kept.size() - p.max_candidates;
        kept.resize(p.max_candidates);
    }
    if (kept.empty()) return d;
    std::fill(mask.begin(), mask.end(), std::uint8_t{0});
    for (std::size_t n = 0; n < kept.size(); ++n) {
        kept[n].first.label = static_cast<int>(n + 1);
        paint(kept[n].second->runs, g, static_cast<std::uint8_t>(n + 1), mask.data());
        d.nodules.push_back(kept[n].first);
    }
    d.labels = std::move(mask);
    return d;
}

}  // namespace consilium::lung
