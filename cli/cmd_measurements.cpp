#include "cmd_measurements.h"

#include "consilium/decision/errors.h"
#include "consilium/decision/measurement.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace consilium::cli {
namespace {

using namespace consilium::decision;

nlohmann::json optional(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }

// What was measured, as a reader says it: "42.3 mm", "mean 38 HU, SD 12, 100 mm2".
std::string value_text(const Measurement& m) {
    char buf[128];
    if (m.kind == MeasurementKind::distance) {
        std::snprintf(buf, sizeof buf, "%.1f mm", m.length_mm.value_or(0));
        return buf;
    }
    if (!m.mean) return "no voxels";
    std::snprintf(buf, sizeof buf, "mean %.0f%s, SD %.0f, %.0f mm2", *m.mean, m.unit.empty() ? "" : (" " + m.unit).c_str(),
                  m.sd.value_or(0), m.area_mm2.value_or(0));
    return buf;
}

}  // namespace

int cmd_measurements(const Context& ctx, const std::vector<std::string>& words) {
    auto args = parse_args(words, {});
    if (args.positional.size() != 1) throw UsageError("measurements takes one SERIES_UID");
    const std::string& uid = args.positional[0];
    auto ws = ctx.open_workspace();
    auto session = ctx.login(ws.store());
    if (!ws.store().imaging().find_series(uid)) throw NotFound("series " + uid + ": not in the workspace");
    const auto list = series_measurements(ws.store(), session, uid);
    if (ctx.json) {
        auto out = nlohmann::json::array();
        for (const auto& m : list)
            out.push_back({{"id", m.id},
                           {"series_uid", m.series_uid},
                           {"user", m.user_name},
                           {"kind", to_string(m.kind)},
                           {"from_lps", m.from_lps},
                           {"to_lps", m.to_lps},
                           {"length_mm", optional(m.length_mm)},
                           {"area_mm2", optional(m.area_mm2)},
                           {"mean", optional(m.mean)},
                           {"sd", optional(m.sd)},
                           {"unit", m.unit},
                           {"created_at", m.created_at}});
        ctx.print_json(out);
        return 0;
    }
    if (list.empty()) std::cout << "no measurements on series " << uid << "\n";
    for (const auto& m : list)
        std::cout << m.id << "  " << m.created_at << "  " << m.user_name << "  " << to_string(m.kind) << "  "
                  << value_text(m) << "\n";
    return 0;
}

}  // namespace consilium::cli
