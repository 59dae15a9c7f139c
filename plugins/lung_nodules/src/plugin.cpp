// plugin.cpp - the lung-nodule candidate plugin: takes the CT volume from the host, runs the
// classical detector (detector.h), writes the label mask `mask.nrrd` into the work folder and
// emits one `finding` per candidate for a radiologist to confirm or reject. A child's scan is
// declined ({"suggestions": [], "declined": why}; adults_only.h) unless a clinician asked for it.
//
// Built against the plugin SDK plus ITK (used in itk_components.cpp only).
#include "adults_only.h"
#include "components.h"
#include "detector.h"

#include <consilium_plugin.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace sdk = consilium::sdk;
namespace lung = consilium::lung;

constexpr const char* kSnomed = "http://snomed.info/sct";
constexpr const char* kNoduleCode = "786838002";  // Nodule of lung (disorder), synonym "Pulmonary nodule"
constexpr const char* kNoduleDisplay = "Pulmonary nodule";
constexpr const char* kMaskFile = "mask.nrrd";

std::string fixed(double v, int decimals) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string summary(const lung::Nodule& n) {
    return "Lung nodule candidate, " + fixed(n.diameter_mm, 0) + " mm, " + n.side + " " + n.zone + " zone";
}

std::string rationale(const lung::Nodule& n) {
    const auto& c = n.center_lps;
    const auto& s = n.size_lps_mm;
    return "Compact soft-tissue density inside the " + n.side + " lung: equivalent diameter " + fixed(n.diameter_mm, 1) +
           " mm, volume " + fixed(n.volume_mm3, 0) + " mm\u00b3, mean " + fixed(n.mean_hu, 0) + " HU, extent " +
           fixed(s[0], 1) + " \u00d7 " + fixed(s[1], 1) + " \u00d7 " + fixed(s[2], 1) + " mm (L \u00d7 P \u00d7 S), elongation " +
           fixed(n.elongation, 2) + ", roundness " + fixed(n.roundness, 2) + ". Centre at LPS (" + fixed(c[0], 1) + ", " +
           fixed(c[1], 1) + ", " + fixed(c[2], 1) + ") mm; outlined as label " + std::to_string(n.label) + " in " +
           kMaskFile + ". Found by HU thresholds and connected components (a classical baseline, not a trained model); "
           "a vessel seen end-on or a scar can look the same, so a radiologist must confirm it. The confidence is a "
           "shape and size heuristic, not a probability.";
}

class LungNodulesPlugin : public sdk::Plugin {
public:
    void run(sdk::Context& ctx) override {
        if (auto why = lung::why_not_applicable(std::string(ctx.context_json())); !why.empty()) {
            ctx.info("declined: " + why);
            ctx.emit_json("{\"suggestions\": [], \"declined\": " + sdk::json_string(why) + "}");
            return;
        }
        const auto volume = ctx.volume();
        if (!volume) throw sdk::HostError("lung nodules: the host gave no volume", CONSILIUM_STATUS_INVALID_ARGUMENT);
        if (volume->modality() != "CT")
            throw sdk::HostError("lung nodules: the series is " + std::string(volume->modality().empty() ? "of no modality" : volume->modality()) +
                                     ", not CT (Hounsfield units are needed)",
                                 CONSILIUM_STATUS_UNSUPPORTED);
        const auto& raw = volume->raw();
        lung::HuVolume hu;
        for (std::size_t a = 0; a < 3; ++a) {
            hu.grid.dims[a] = raw.dims[a];
            hu.grid.spacing[a] = raw.spacing_mm[a];
            hu.grid.origin[a] = raw.origin_lps[a];
        }
        std::copy(raw.direction, raw.direction + 9, hu.grid.direction.begin());
        hu.float32 = raw.pixel_type == CONSILIUM_PIXEL_FLOAT32;
        hu.voxels = hu.float32 ? static_cast<const void*>(volume->data<float>()) : volume->data<std::int16_t>();

        lung::limit_threads(std::clamp(std::thread::hardware_concurrency(), 1u, 4u));
        const lung::Params params;
        const auto found = lung::detect_nodules(hu, params, [&](double f) {
            ctx.throw_if_cancelled();
            ctx.progress(0.9 * f);
        });
        if (found.lungs == 0) {
            ctx.warning("no lung found: no air-density region (<= " + fixed(params.air_max_hu, 0) +
                        " HU) of at least " + fixed(params.min_lung_ml, 0) + " mL inside the body; nothing to report");
            ctx.emit({});
            return;
        }
        ctx.info(std::to_string(found.lungs) + " lung component(s), " + fixed(found.lung_volume_ml, 0) + " mL; " +
                 std::to_string(found.candidates) + " dense component(s) inside: " + std::to_string(found.too_small) +
                 " under " + fixed(params.min_diameter_mm, 0) + " mm, " + std::to_string(found.too_large) + " over " +
                 fixed(params.max_diameter_mm, 0) + " mm, " + std::to_string(found.elongated) + " elongated, " +
                 std::to_string(found.irregular) + " irregular, " + std::to_string(found.nodules.size() + found.over_cap) +
                 " candidate(s)");
        if (found.over_cap)
            ctx.warning(std::to_string(found.over_cap) + " further candidate(s) beyond the first " +
                        std::to_string(params.max_candidates) + " are not reported");
        std::vector<sdk::Suggestion> out;
        if (!found.nodules.empty()) {
            if (ctx.work_dir().empty()) throw sdk::HostError("lung nodules: the host gave no work folder for the mask", CONSILIUM_STATUS_ERROR);
            lung::write_label_nrrd(found.labels.data(), hu.grid, ctx.work_dir() + "/" + kMaskFile);
        }
        for (const auto& n : found.nodules) {
            ctx.throw_if_cancelled();
            out.push_back(sdk::Suggestion("finding")
                              .code(kSnomed, kNoduleCode, kNoduleDisplay)
                              .confidence(n.confidence)
                              .summary(summary(n))
                              .rationale(rationale(n))
                              .roi(n.center_lps, n.size_lps_mm)
                              .mask(kMaskFile));
        }
        ctx.progress(1.0);
        ctx.emit(out);
    }
};

}  // namespace

CONSILIUM_PLUGIN(LungNodulesPlugin, "org.consilium.lung-nodules", "1.0.0", "classical-threshold-cc-1");
