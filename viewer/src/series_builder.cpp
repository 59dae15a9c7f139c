#include "consilium/viewer/scan.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

namespace consilium::viewer {
namespace {

constexpr double kPi = 3.14159265358979323846;

Vec3 cross(const Vec3& a, const Vec3& b) {
    return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
double dot(const Vec3& a, const Vec3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
double norm(const Vec3& a) { return std::sqrt(dot(a, a)); }

std::string fmt(const char* f, double a, double b = 0, double c = 0) {
    char buf[200];
    std::snprintf(buf, sizeof buf, f, a, b, c);
    return buf;
}

struct Candidate {
    SliceRef ref;
    const DicomFile* file;
    const Frame* frame;
};

// Slices share one volume only if they have the same size, pixel spacing and orientation. Values
// are compared with a tolerance, not rounded: rounding puts near-equal values on either side of
// a boundary.
bool same_shape(const Candidate& a, const Candidate& b) {
    if (a.file->columns != b.file->columns || a.file->rows != b.file->rows) return false;
    auto close = [](double x, double y, double tolerance) { return std::fabs(x - y) <= tolerance; };
    const auto& sa = a.frame->pixel_spacing_mm;
    const auto& sb = b.frame->pixel_spacing_mm;
    if (sa.has_value() != sb.has_value()) return false;
    if (sa && (!close((*sa)[0], (*sb)[0], 1e-4) || !close((*sa)[1], (*sb)[1], 1e-4))) return false;
    const auto& oa = a.frame->orientation;
    const auto& ob = b.frame->orientation;
    if (oa.has_value() != ob.has_value()) return false;
    if (oa)
        for (std::size_t i = 0; i < 6; ++i)
            if (!close((*oa)[i], (*ob)[i], 1e-4)) return false;
    return true;
}

Vec3 normal_of(const Candidate& c) {
    if (!c.frame->orientation) return {0, 0, 1};
    const auto& o = *c.frame->orientation;
    Vec3 n = cross({o[0], o[1], o[2]}, {o[3], o[4], o[5]});
    double l = norm(n);
    return l > 0 ? Vec3{n[0] / l, n[1] / l, n[2] / l} : Vec3{0, 0, 1};
}

double along(const Candidate& c, const Vec3& n) { return c.frame->position_lps ? dot(*c.frame->position_lps, n) : 0.0; }

// The order images were acquired in, where the header says it.
bool acquired_before(const Candidate& a, const Candidate& b) {
    auto ta = a.frame->temporal_position.value_or(0), tb = b.frame->temporal_position.value_or(0);
    if (ta != tb) return ta < tb;
    auto ia = a.file->instance_number.value_or(0), ib = b.file->instance_number.value_or(0);
    if (ia != ib) return ia < ib;
    if (a.file != b.file) return a.file->path < b.file->path;
    return a.frame->index < b.frame->index;
}

// Splits images that repeat the same positions (4D: several time points) into one volume per
// repetition. Returns the parts, or one part when the images are not such a repetition.
std::vector<std::vector<Candidate>> split_time_points(std::vector<Candidate> images, const Vec3& n, std::string& note) {
    // Positions along n, clustered: images closer than 0.01 mm are at the same place.
    std::sort(images.begin(), images.end(), [&](const Candidate& a, const Candidate& b) { return along(a, n) < along(b, n); });
    std::map<std::size_t, std::vector<Candidate>> by_position;
    double cluster_start = 0;
    std::size_t cluster = 0;
    for (std::size_t i = 0; i < images.size(); ++i) {
        const double d = along(images[i], n);
        if (i == 0 || d - cluster_start > 0.01) {
            cluster = i;
            cluster_start = d;
        }
        by_position[cluster].push_back(images[i]);
    }
    std::size_t repeats = by_position.begin()->second.size();
    bool regular = by_position.size() >= 2 && repeats >= 2;
    for (const auto& [pos, list] : by_position) regular = regular && list.size() == repeats;
    if (!regular) return {std::move(images)};
    std::vector<std::vector<Candidate>> parts(repeats);
    for (auto& [pos, list] : by_position) {
        std::sort(list.begin(), list.end(), acquired_before);
        for (std::size_t t = 0; t < repeats; ++t) parts[t].push_back(list[t]);
    }
    note = "4D series: " + std::to_string(repeats) + " time points of " + std::to_string(by_position.size()) +
           " slices each, split into one volume per time point";
    return parts;
}

// Sorts along the normal and works out the grid, noting every geometry problem.
void describe_volume(Series& s, std::vector<Candidate> images, const ScanResult& r) {
    const Vec3 n = normal_of(images.front());
    std::stable_sort(images.begin(), images.end(), [&](const Candidate& a, const Candidate& b) {
        double da = along(a, n), db = along(b, n);
        return da != db ? da < db : acquired_before(a, b);
    });
    const Candidate& first = images.front();
    const DicomFile& f = *first.file;
    for (std::size_t k = 0; k < images.size(); ++k) {
        s.slices.push_back(images[k].ref);
        s.slices.back().index = static_cast<int>(k);
    }
    s.dims = {f.columns, f.rows, static_cast<int>(images.size())};
    const auto ps = first.frame->pixel_spacing_mm.value_or(std::array<double, 2>{1.0, 1.0});
    s.spacing_mm = {ps[1], ps[0], first.frame->slice_thickness_mm.value_or(1.0)};
    if (!first.frame->pixel_spacing_mm) s.warnings.push_back("no pixel spacing in the header: 1 mm assumed");
    if (first.frame->position_lps) s.origin_lps = *first.frame->position_lps;
    if (first.frame->orientation) {
        const auto& o = *first.frame->orientation;
        s.direction = {o[0], o[3], n[0], o[1], o[4], n[1], o[2], o[5], n[2]};
    } else {
        s.warnings.push_back("no patient orientation in the header: shown as an axial stack");
    }
    if (images.size() < 2) return;
    if (!first.frame->position_lps) {
        s.warnings.push_back("no slice positions in the header: slices stacked in acquisition order");
        return;
    }

    std::vector<double> steps;
    for (std::size_t i = 1; i < images.size(); ++i) steps.push_back(along(images[i], n) - along(images[i - 1], n));
    const std::size_t duplicates = static_cast<std::size_t>(std::count_if(steps.begin(), steps.end(), [](double d) { return d < 1e-3; }));
    if (duplicates == steps.size()) {
        s.warnings.push_back("not a volume: all " + std::to_string(images.size()) +
                             " images share one position (repeated or separate acquisitions)");
        return;
    }
    if (duplicates > 0)
        s.warnings.push_back(std::to_string(duplicates) + " duplicate slice position(s): images at the same place");
    std::vector<double> positive;
    for (double d : steps)
        if (d >= 1e-3) positive.push_back(d);
    std::sort(positive.begin(), positive.end());
    const double step = positive[positive.size() / 2];  // the usual spacing
    s.spacing_mm[2] = step;
    const double smallest = positive.front(), largest = positive.back();
    if (largest - smallest > std::max(0.01, 0.01 * step)) {
        // Gaps that are whole multiples of the step are missing slices: leave blank slices in
        // their place, so every slice beyond the gap stays where it was acquired.
        bool whole_multiples = duplicates == 0;
        for (double d : positive) {
            const double ratio = d / step;
            whole_multiples = whole_multiples && std::fabs(ratio - std::round(ratio)) < 0.1;
        }
        int missing = 0;
        for (double d : positive)
            if (d > 1.5 * step) missing += static_cast<int>(std::lround(d / step)) - 1;
        std::string note = fmt("non-uniform slice spacing: %.3g to %.3g mm", smallest, largest);
        if (missing > 0) note += "; gap of about " + std::to_string(missing) + " missing slice(s)";
        // Only a few missing slices are filled: a sparse set of images (localizers, key images)
        // is not turned into a mostly empty volume.
        const bool few = images.size() >= 3 && missing <= static_cast<int>(images.size()) / 2;
        if (whole_multiples && few && missing > 0) {
            const double first_pos = along(images.front(), n);
            for (std::size_t k = 0; k < images.size(); ++k)
                s.slices[k].index = static_cast<int>(std::lround((along(images[k], n) - first_pos) / step));
            s.dims[2] = s.slices.back().index + 1;
            note += ", left blank so the other slices keep their true positions";
        } else if (missing > 0) {
            note += "; slices are shown evenly spaced, positions beyond the gap are approximate";
        }
        s.warnings.push_back(note);
    }

    // Gantry tilt: the line through the slice positions leaves the slice normal.
    const Vec3 a = *images.front().frame->position_lps, b = *images.back().frame->position_lps;
    const Vec3 axis{b[0] - a[0], b[1] - a[1], b[2] - a[2]};
    const double len = norm(axis);
    double tilt = len > 0 ? std::acos(std::min(1.0, std::fabs(dot(axis, n)) / len)) * 180.0 / kPi : 0.0;
    if (f.gantry_tilt_deg && std::fabs(*f.gantry_tilt_deg) > std::fabs(tilt)) tilt = std::fabs(*f.gantry_tilt_deg);
    if (tilt > 0.5) {
        s.gantry_tilt_deg = tilt;
        s.warnings.push_back(fmt("gantry tilt %.1f degrees: slices are sheared, not stacked straight; the volume is "
                                 "shown as acquired (not resampled), distances across slices are approximate",
                                 tilt));
    }
    (void)r;
}

}  // namespace

void build_series(ScanResult& r) {
    // (study, series) -> images
    std::map<std::pair<std::string, std::string>, std::vector<Candidate>> groups;
    for (std::size_t i = 0; i < r.files.size(); ++i) {
        const DicomFile& f = r.files[i];
        for (const auto& frame : f.frames) groups[{f.study_uid, f.series_uid}].push_back({{i, frame.index}, &f, &frame});
    }
    std::map<std::string, std::size_t> study_index;
    for (auto& [key, images] : groups) {
        // Several volumes in one series: by size and orientation first.
        std::vector<std::vector<Candidate>> by_shape;
        for (const auto& c : images) {
            auto it = std::find_if(by_shape.begin(), by_shape.end(), [&](const auto& g) { return same_shape(g.front(), c); });
            if (it == by_shape.end()) by_shape.push_back({c});
            else it->push_back(c);
        }
        struct Part {
            std::vector<Candidate> images;
            std::string label, note;
            std::size_t shape;
        };
        std::vector<Part> parts;
        for (std::size_t shape = 0; shape < by_shape.size(); ++shape) {
            auto& list = by_shape[shape];
            std::string note;
            auto split = split_time_points(list, normal_of(list.front()), note);
            for (std::size_t t = 0; t < split.size(); ++t) {
                Part part{std::move(split[t]), "", note, shape};
                if (split.size() > 1) part.label = "time point " + std::to_string(t + 1) + " of " + std::to_string(split.size());
                parts.push_back(std::move(part));
            }
        }
        const bool mixed = by_shape.size() > 1;

        for (auto& part : parts) {
            Series s;
            const DicomFile& f = *part.images.front().file;
            s.study_uid = f.study_uid;
            s.series_uid = f.series_uid;
            s.modality = f.modality;
            s.description = f.series_description;
            s.number = f.series_number;
            std::string label = part.label;
            if (mixed) {
                label = "part " + std::to_string(part.shape + 1) + " of " + std::to_string(by_shape.size()) +
                        (label.empty() ? "" : ", " + label);
            }
            s.part = label;
            describe_volume(s, std::move(part.images), r);
            if (mixed)
                s.warnings.insert(s.warnings.begin(), "mixed image sizes, pixel spacings or orientations in one series: split into " +
                                                          std::to_string(by_shape.size()) + " volumes");
            if (!part.note.empty()) s.warnings.insert(s.warnings.begin(), part.note);
            auto [it, added] = study_index.emplace(s.study_uid, r.studies.size());
            if (added)
                r.studies.push_back({f.study_uid, f.patient_id, f.patient_name, f.study_date, f.study_description, {},
                                     f.specific_character_set, {}});
            r.studies[it->second].series.push_back(r.series.size());
            r.series.push_back(std::move(s));
        }
    }
    // Text that could not be decoded, per study: the first few files named, then a count.
    constexpr std::size_t kNamed = 5;
    std::map<std::string, std::size_t> files_with_warnings;
    for (const auto& f : r.files) {
        if (f.text_warnings.empty()) continue;
        auto it = study_index.find(f.study_uid);
        if (it == study_index.end()) continue;
        auto& study = r.studies[it->second];
        if (++files_with_warnings[f.study_uid] <= kNamed)
            study.warnings.insert(study.warnings.end(), f.text_warnings.begin(), f.text_warnings.end());
    }
    for (const auto& [uid, n] : files_with_warnings)
        if (n > kNamed)
            r.studies[study_index[uid]].warnings.push_back("the same in " + std::to_string(n - kNamed) + " more file(s) of this study");
}

}  // namespace consilium::viewer
