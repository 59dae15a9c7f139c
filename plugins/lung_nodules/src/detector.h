#pragma once
// The lung-nodule candidate detector, a classical image-processing baseline:
//   1. lungs: voxels <= -400 HU, face-connected components; those touching the in-plane edge of
//      the volume are the air around the patient and are dropped; the largest remaining component
//      is a lung, the second largest too when it holds at least a tenth of the largest's volume;
//   2. the holes of the lung mask, slice by slice, are what lies inside the lungs (nodules, vessels
//      seen across, masses); their voxels above -300 HU form the candidates (face-connected);
//   3. a candidate is kept when its equivalent diameter is 3-30 mm and it is compact: elongation
//      (largest / middle principal axis) at most 2 and roundness at least 0.6.
// Every number of the rules is in Params, so tests and the model card name the same ones.
#include "components.h"
#include "voxel_ops.h"

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace consilium::lung {

struct Params {
    double air_max_hu = -400;          // lung parenchyma and air
    double tissue_min_hu = -300;       // soft tissue (and denser) inside the lung
    double min_lung_ml = 50;           // smaller air pockets are not a lung
    double second_lung_fraction = 0.1;
    double min_diameter_mm = 3, max_diameter_mm = 30;
    double max_elongation = 2.0;
    double min_roundness = 0.6;
    std::size_t max_candidates = 50;   // the most confident ones; labels 1..50 in the mask
};

struct Nodule {
    std::array<double, 3> center_lps{};
    std::array<double, 3> size_lps_mm{};  // extent of its voxels along L, P and S
    double diameter_mm = 0;               // equivalent spherical diameter
    double volume_mm3 = 0;
    double mean_hu = 0;
    double elongation = 0, roundness = 0;
    double confidence = 0;
    std::string side;  // "right" or "left" (patient)
    std::string zone;  // "upper", "middle" or "lower" third of the lungs' craniocaudal extent
    int label = 0;     // its value in the label mask
};

struct Detection {
    int lungs = 0;                // lung components found (0, 1 or 2)
    double lung_volume_ml = 0;
    std::size_t candidates = 0;   // soft-tissue components inside the lungs, before the size and shape rules
    std::size_t too_small = 0, too_large = 0, elongated = 0, irregular = 0;  // set aside by each rule, in this order
    std::size_t over_cap = 0;     // kept by the rules but beyond max_candidates
    std::vector<Nodule> nodules;  // most confident first; nodules[n].label == n + 1
    std::vector<std::uint8_t> labels;  // the label mask (grid.voxels() bytes), empty without nodules
};

// 0..1 from the shape and size measures; see the model card. Pure, so tests can pin it.
double nodule_confidence(double diameter_mm, double elongation, double roundness, const Params& p);

// Runs the three steps. `step(fraction)` is called between steps (progress, cancellation: it may throw).
Detection detect_nodules(const HuVolume& volume, const Params& params, const std::function<void(double)>& step);

}  // namespace consilium::lung
