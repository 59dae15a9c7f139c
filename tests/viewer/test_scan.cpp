// Scanning DICOM: grouping into studies and series (one volume each), slices sorted along the
// normal, geometry problems reported as warnings, bad files listed as unreadable with a reason.
// Part A builds its series with DCMTK in a scratch folder; part B (label shared_data) checks the
// real series in ../shared/data against geometry computed here, independently, from the headers.
// Positions and directions are DICOM patient coordinates: LPS, millimetres.
#include "dicom_writer.h"
#include "geometry_helpers.h"
#include "test_support.h"

#include "consilium/viewer/dicom_header.h"
#include "consilium/viewer/scan.h"

#include <boost/test/unit_test.hpp>

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcitem.h>
#include <dcmtk/dcmdata/dcsequen.h>
#include <dcmtk/oflog/oflog.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <numeric>
#include <random>
#include <regex>
#include <set>

namespace fs = std::filesystem;
using namespace consilium::viewer;
using consilium::test::ScratchDir;
using consilium::test::dicom::ds;
using consilium::test::dicom::ds_value;
using consilium::test::dicom::new_uid;
using consilium::test::dicom::SliceSpec;
using consilium::test::dicom::write_slice;

namespace {

constexpr double kPi = 3.14159265358979323846;

using namespace consilium::test::geometry;


Vec3 normal_of(const std::array<double, 6>& iop) { return unit(cross({iop[0], iop[1], iop[2]}, {iop[3], iop[4], iop[5]})); }

std::string all_warnings(const Series& s) {
    std::string out;
    for (const auto& w : s.warnings) out += "[" + w + "] ";
    return out;
}

bool has_warning(const Series& s, const std::string& pattern) {
    const std::regex re(pattern, std::regex::icase);
    return std::any_of(s.warnings.begin(), s.warnings.end(), [&](const std::string& w) { return std::regex_search(w, re); });
}

// The first number after "tilt" in a warning (the angle it states), if any.
std::optional<double> tilt_in_warnings(const Series& s) {
    const std::regex re("tilt[^0-9+-]*([+-]?[0-9]+(\\.[0-9]+)?)", std::regex::icase);
    for (const auto& w : s.warnings) {
        std::smatch m;
        if (std::regex_search(w, m, re)) return std::stod(m[1].str());
    }
    return std::nullopt;
}

std::string describe(const ScanResult& r) {
    std::string out = std::to_string(r.files.size()) + " files, " + std::to_string(r.series.size()) + " series, " +
                      std::to_string(r.studies.size()) + " studies, " + std::to_string(r.unreadable.size()) + " unreadable:";
    for (const auto& s : r.series)
        out += " {" + s.series_uid.substr(std::max<std::size_t>(s.series_uid.size(), 6) - 6) + " '" + s.part + "' " +
               std::to_string(s.dims[0]) + "x" + std::to_string(s.dims[1]) + "x" + std::to_string(s.dims[2]) + " " +
               all_warnings(s) + "}";
    for (const auto& u : r.unreadable) out += " <" + u.path.filename().string() + ": " + u.reason + ">";
    return out;
}

// Writes every slice under `dir` with file names (and instance numbers) in a shuffled order, so
// that neither says where a slice lies. Returns each file's path -> index into `specs`.
std::map<fs::path, std::size_t> write_shuffled(const fs::path& dir, std::vector<SliceSpec> specs, unsigned seed) {
    std::vector<std::size_t> perm(specs.size());
    std::iota(perm.begin(), perm.end(), std::size_t{0});
    std::mt19937 rng(seed);
    while (specs.size() > 2 && (std::is_sorted(perm.begin(), perm.end()) || std::is_sorted(perm.rbegin(), perm.rend())))
        std::shuffle(perm.begin(), perm.end(), rng);
    std::map<fs::path, std::size_t> written;
    for (std::size_t i = 0; i < specs.size(); ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "img%04zu.dcm", perm[i]);
        if (!specs[i].instance_number) specs[i].instance_number = static_cast<int>(perm[i]) + 1;
        write_slice(dir / name, specs[i]);
        written[dir / name] = i;
    }
    return written;
}

SliceSpec slice(const std::string& study, const std::string& series, const Vec3& position,
                const std::array<double, 6>& iop = {1, 0, 0, 0, 1, 0}) {
    SliceSpec s;
    s.study_uid = study;
    s.series_uid = series;
    s.position_lps = position;
    s.orientation = iop;
    s.pixel_spacing_mm = {0.5, 0.75};  // between rows 0.5, between columns 0.75: not square, so a swap shows
    return s;
}

// A stack of `count` slices from `first`, `step` mm apart along `axis`.
std::vector<SliceSpec> stack(const std::string& study, const std::string& series, const std::array<double, 6>& iop,
                             const Vec3& first, const Vec3& axis, double step, int count) {
    std::vector<SliceSpec> out;
    for (int k = 0; k < count; ++k) out.push_back(slice(study, series, add(first, axis, step * k), iop));
    return out;
}

ScanResult scan_no_throw(const fs::path& path, const ScanOptions& options = {}) {
    ScanResult r;
    try {
        r = scan(path, options);
    } catch (const std::exception& e) {
        BOOST_ERROR("scan threw for " << path << ": " << e.what());
    } catch (...) {
        BOOST_ERROR("scan threw a non-standard exception for " << path);
    }
    return r;
}

// Positions (as written, LPS mm) of the slices of `s`, in the series' order.
std::vector<Vec3> positions_in_order(const ScanResult& r, const Series& s, const std::map<fs::path, std::size_t>& written,
                                     const std::vector<SliceSpec>& specs) {
    std::vector<Vec3> out;
    for (const auto& ref : s.slices) {
        BOOST_TEST_REQUIRE(ref.file < r.files.size());
        auto it = written.find(r.files[ref.file].path);
        BOOST_TEST_REQUIRE((it != written.end()), "slice file " << r.files[ref.file].path << " was not written by the test");
        out.push_back(as_written(specs[it->second].position_lps));
    }
    return out;
}

void check_close(const std::array<double, 3>& got, const std::array<double, 3>& want, double tol, const char* what) {
    for (std::size_t i = 0; i < 3; ++i)
        BOOST_TEST(std::fabs(got[i] - want[i]) <= tol, what << "[" << i << "]: " << got[i] << " != " << want[i]);
}
void check_close(const std::array<double, 9>& got, const std::array<double, 9>& want, double tol, const char* what) {
    for (std::size_t i = 0; i < 9; ++i)
        BOOST_TEST(std::fabs(got[i] - want[i]) <= tol, what << "[" << i << "]: " << got[i] << " != " << want[i]);
}

// Checks a series written by `stack`-like specs: all slices present, in ascending order along
// the normal, and the grid exactly as constructed.
void check_geometry(const ScanResult& r, const Series& s, const std::map<fs::path, std::size_t>& written,
                    const std::vector<SliceSpec>& specs) {
    const auto iop = as_written(specs.front().orientation);
    const Vec3 n = normal_of(iop);
    std::vector<Vec3> want;
    for (const auto& spec : specs) want.push_back(as_written(spec.position_lps));
    std::sort(want.begin(), want.end(), [&](const Vec3& a, const Vec3& b) { return dot(a, n) < dot(b, n); });
    const auto got = positions_in_order(r, s, written, specs);
    BOOST_TEST_REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < got.size(); ++i) check_close(got[i], want[i], 1e-9, "slice position in series order");

    const auto ps = as_written(specs.front().pixel_spacing_mm);
    const double step = dot(want[1], n) - dot(want[0], n);
    BOOST_TEST(s.dims[0] == specs.front().columns);
    BOOST_TEST(s.dims[1] == specs.front().rows);
    BOOST_TEST(s.dims[2] == static_cast<int>(specs.size()));
    check_close(s.spacing_mm, {ps[1], ps[0], step}, 1e-6, "spacing (columns, rows, slices)");
    check_close(s.origin_lps, want.front(), 1e-9, "origin = slice lowest along the normal");
    check_close(s.direction, direction_of(iop), 1e-9, "direction");
}

const Series* only_series(const ScanResult& r) {
    BOOST_TEST(r.series.size() == 1u, describe(r));
    return r.series.size() == 1 ? &r.series.front() : nullptr;
}

// A scratch file of `bytes`.
void write_bytes(const fs::path& file, const std::string& bytes) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    BOOST_TEST_REQUIRE(out.good(), "cannot write " << file);
}

// `path` is listed as unreadable (alone), with a reason matching `pattern`; nothing thrown.
void expect_unreadable(const fs::path& path, const std::string& pattern = ".") {
    const ScanResult r = scan_no_throw(path);
    BOOST_TEST(r.files.empty(), describe(r));
    BOOST_TEST(r.series.empty(), describe(r));
    BOOST_TEST_REQUIRE(r.unreadable.size() == 1u, describe(r));
    BOOST_TEST(r.unreadable[0].path == path);
    BOOST_TEST(!r.unreadable[0].reason.empty());
    BOOST_TEST(std::regex_search(r.unreadable[0].reason, std::regex(pattern, std::regex::icase)),
               "reason '" << r.unreadable[0].reason << "' should match /" << pattern << "/");
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// A. Series the test writes itself.
// ---------------------------------------------------------------------------------------------
BOOST_AUTO_TEST_SUITE(scan_generated)

BOOST_AUTO_TEST_CASE(header_of_a_written_slice) {
    ScratchDir dir("scan");
    SliceSpec s = slice(new_uid(), new_uid(), {-100.25, -80.5, 12.5}, {0, 1, 0, 0, 0, -1});
    s.instance_number = 7;
    s.temporal_position = 2;
    s.gantry_tilt_deg = -12.5;
    write_slice(dir / "one.dcm", s);
    const DicomFile f = read_dicom_header(dir / "one.dcm");
    BOOST_TEST(f.study_uid == s.study_uid);
    BOOST_TEST(f.series_uid == s.series_uid);
    BOOST_TEST(f.rows == 6);
    BOOST_TEST(f.columns == 8);
    BOOST_TEST(f.number_of_frames == 1);
    BOOST_TEST(f.instance_number.value_or(-1) == 7);
    BOOST_TEST(f.gantry_tilt_deg.value_or(0) == -12.5);
    BOOST_TEST_REQUIRE(f.frames.size() == 1u);
    const Frame& fr = f.frames[0];
    BOOST_TEST_REQUIRE(fr.position_lps.has_value());
    check_close(*fr.position_lps, {-100.25, -80.5, 12.5}, 0, "position");
    BOOST_TEST_REQUIRE(fr.orientation.has_value());
    BOOST_TEST((*fr.orientation == std::array<double, 6>{0, 1, 0, 0, 0, -1}));
    BOOST_TEST_REQUIRE(fr.pixel_spacing_mm.has_value());
    BOOST_TEST((*fr.pixel_spacing_mm == std::array<double, 2>{0.5, 0.75}));
    BOOST_TEST(fr.temporal_position.value_or(-1) == 2);
}

// (1) File names and instance numbers shuffled: the order comes from the positions alone.
BOOST_AUTO_TEST_CASE(axial_series_with_shuffled_file_names) {
    ScratchDir dir("scan");
    const std::string study = new_uid(), series = new_uid();
    const auto specs = stack(study, series, {1, 0, 0, 0, 1, 0}, {-100.25, -80.5, -30}, {0, 0, 1}, 2.5, 10);
    const auto written = write_shuffled(dir.path(), specs, 1);
    const ScanResult r = scan_no_throw(dir.path());
    BOOST_TEST(r.files.size() == 10u);
    BOOST_TEST(r.unreadable.empty(), describe(r));
    BOOST_TEST_REQUIRE(r.studies.size() == 1u);
    BOOST_TEST(r.studies[0].study_uid == study);
    BOOST_TEST(r.studies[0].patient_id == "CONS-TEST-1");
    const Series* s = only_series(r);
    BOOST_TEST_REQUIRE(s);
    BOOST_TEST(s->series_uid == series);
    BOOST_TEST(s->study_uid == study);
    BOOST_TEST(s->modality == "MR");
    BOOST_TEST(s->part.empty());
    check_geometry(r, *s, written, specs);
    check_close(s->spacing_mm, {0.75, 0.5, 2.5}, 0, "spacing");
    check_close(s->origin_lps, {-100.25, -80.5, -30}, 0, "origin");
    check_close(s->direction, {1, 0, 0, 0, 1, 0, 0, 0, 1}, 0, "direction");
    BOOST_TEST(s->warnings.empty(), all_warnings(*s));
    BOOST_TEST(s->gantry_tilt_deg == 0.0);
}

// (2) Direction columns are row direction, column direction, normal; origin lowest along the normal.
BOOST_AUTO_TEST_CASE(sagittal_coronal_and_oblique_series) {
    struct Case {
        const char* name;
        std::array<double, 6> iop;
        Vec3 first;
        Vec3 axis;  // stacking direction (written from `first`; the normal may point the other way)
        Vec3 expected_origin;
        std::array<double, 9> expected_direction;
    };
    const double c30 = 0.8660254038;
    const std::vector<Case> cases = {
        // normal = (0,1,0) x (0,0,-1) = (-1,0,0): lowest along it is the largest x
        {"sagittal", {0, 1, 0, 0, 0, -1}, {-12, -20.5, 40}, {1, 0, 0}, {6, -20.5, 40}, {0, 0, -1, 1, 0, 0, 0, -1, 0}},
        // normal = (1,0,0) x (0,0,-1) = (0,1,0): lowest along it is the smallest y
        {"coronal", {1, 0, 0, 0, 0, -1}, {-30, 40, 10}, {0, -1, 0}, {-30, 22, 10}, {1, 0, 0, 0, 0, 1, 0, -1, 0}},
        // rotated 30 degrees about the feet-head axis; normal = (-0.5, 0.866, 0)
        {"oblique", {c30, 0.5, 0, 0, 0, -1}, {5, 5, 5}, {0.5, -c30, 0}, {}, {}},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.name) {
            ScratchDir dir("scan");
            const auto specs = stack(new_uid(), new_uid(), c.iop, c.first, c.axis, 3.0, 7);
            const auto written = write_shuffled(dir.path(), specs, 2);
            const ScanResult r = scan_no_throw(dir.path());
            const Series* s = only_series(r);
            BOOST_TEST_REQUIRE(s);
            check_geometry(r, *s, written, specs);
            BOOST_TEST(std::fabs(s->spacing_mm[2] - 3.0) < 1e-6);
            if (std::string(c.name) != "oblique") {
                check_close(s->origin_lps, c.expected_origin, 1e-9, "origin");
                check_close(s->direction, c.expected_direction, 1e-12, "direction");
            } else {
                // written from `first` away from the normal: the last written slice comes first
                check_close(s->origin_lps, as_written(add(c.first, c.axis, 18.0)), 1e-9, "origin");
            }
            BOOST_TEST(s->warnings.empty(), all_warnings(*s));
        }
    }
}

// (3) One slice missing: a warning, and the spacing is the usual step, not the gap or an average.
BOOST_AUTO_TEST_CASE(gap_of_one_missing_slice) {
    ScratchDir dir("scan");
    const std::string study = new_uid(), series = new_uid();
    std::vector<SliceSpec> specs;
    for (double z : {0.0, 2.0, 4.0, 8.0, 10.0, 12.0}) specs.push_back(slice(study, series, {0, 0, z}));
    const auto written = write_shuffled(dir.path(), specs, 3);
    const ScanResult r = scan_no_throw(dir.path());
    const Series* s = only_series(r);
    BOOST_TEST_REQUIRE(s);
    // The missing slice is left blank, so slices beyond the gap keep their true positions.
    BOOST_TEST(s->dims[2] == 7);
    BOOST_TEST(s->slices.size() == 6u);
    std::vector<int> indexes;
    for (const auto& ref : s->slices) indexes.push_back(ref.index);
    BOOST_TEST((indexes == std::vector<int>{0, 1, 2, 4, 5, 6}));
    BOOST_TEST(s->spacing_mm[2] == 2.0);
    BOOST_TEST(has_warning(*s, "gap|missing"), all_warnings(*s));
    const auto got = positions_in_order(r, *s, written, specs);
    for (std::size_t i = 1; i < got.size(); ++i) BOOST_TEST(got[i][2] > got[i - 1][2]);
}

// (4) Two images at one place inside an otherwise regular stack.
BOOST_AUTO_TEST_CASE(duplicate_positions) {
    ScratchDir dir("scan");
    const std::string study = new_uid(), series = new_uid();
    std::vector<SliceSpec> specs;
    for (double z : {0.0, 2.0, 4.0, 4.0, 6.0}) specs.push_back(slice(study, series, {0, 0, z}));
    write_shuffled(dir.path(), specs, 4);
    const ScanResult r = scan_no_throw(dir.path());
    const Series* s = only_series(r);
    BOOST_TEST_REQUIRE(s);
    BOOST_TEST(has_warning(*s, "duplicate"), all_warnings(*s));
    BOOST_TEST(s->spacing_mm[2] == 2.0);
}

// (5) Every image at the same position: not a volume.
BOOST_AUTO_TEST_CASE(all_images_at_one_position) {
    ScratchDir dir("scan");
    const std::string study = new_uid(), series = new_uid();
    std::vector<SliceSpec> specs;
    for (int i = 0; i < 4; ++i) specs.push_back(slice(study, series, {-10, 20, 33.5}));
    write_shuffled(dir.path(), specs, 5);
    const ScanResult r = scan_no_throw(dir.path());
    const Series* s = only_series(r);
    BOOST_TEST_REQUIRE(s);
    BOOST_TEST(s->dims[2] == 4);
    BOOST_TEST(has_warning(*s, "not a volume"), all_warnings(*s));
}

// (6) Gantry tilt seen from the geometry alone (no tilt tag): axial slices whose positions also
// move along y, and tilted slices stacked straight along z (as Philips writes them).
BOOST_AUTO_TEST_CASE(tilted_stack_from_geometry) {
    const double angle = 15.0, rad = angle * kPi / 180.0;
    struct Case {
        const char* name;
        std::array<double, 6> iop;
        Vec3 axis;                 // the line through the positions
        double distance;           // between consecutive positions, mm
        double step_along_normal;  // what the spacing must be
    };
    const std::vector<Case> cases = {
        {"sheared axial", {1, 0, 0, 0, 1, 0}, unit({0, std::tan(rad), 1}), 2.5 / std::cos(rad), 2.5},
        {"tilted orientation", {1, 0, 0, 0, std::cos(rad), -std::sin(rad)}, {0, 0, 1}, 2.5, 2.5 * std::cos(rad)},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.name) {
            ScratchDir dir("scan");
            const auto specs = stack(new_uid(), new_uid(), c.iop, {-50, -40, 100}, c.axis, c.distance, 8);
            const auto written = write_shuffled(dir.path(), specs, 6);
            const ScanResult r = scan_no_throw(dir.path());
            const Series* s = only_series(r);
            BOOST_TEST_REQUIRE(s);
            BOOST_TEST(s->dims[2] == 8);
            BOOST_TEST(std::fabs(std::fabs(s->gantry_tilt_deg) - angle) <= 0.2, "tilt " << s->gantry_tilt_deg);
            BOOST_TEST(has_warning(*s, "tilt"), all_warnings(*s));
            const auto stated = tilt_in_warnings(*s);
            BOOST_TEST((stated && std::fabs(std::fabs(*stated) - angle) <= 0.2), all_warnings(*s));
            BOOST_TEST(std::fabs(s->spacing_mm[2] - c.step_along_normal) < 1e-6, "step " << s->spacing_mm[2]);
            const Vec3 n = normal_of(as_written(c.iop));
            const auto got = positions_in_order(r, *s, written, specs);
            for (std::size_t i = 1; i < got.size(); ++i) BOOST_TEST(dot(got[i], n) > dot(got[i - 1], n));
        }
    }
}

// (7) 4D: 3 time points at 5 positions -> 3 volumes of 5 slices, each sorted and each one time point.
BOOST_AUTO_TEST_CASE(four_d_series_split_by_time_point) {
    ScratchDir dir("scan");
    const std::string study = new_uid(), series = new_uid();
    std::vector<SliceSpec> specs;
    for (int t = 1; t <= 3; ++t)
        for (int k = 0; k < 5; ++k) {
            SliceSpec s = slice(study, series, {0, 0, 4.0 * k});
            s.temporal_position = t;
            s.instance_number = (t - 1) * 5 + k + 1;
            specs.push_back(s);
        }
    const auto written = write_shuffled(dir.path(), specs, 7);
    const ScanResult r = scan_no_throw(dir.path());
    BOOST_TEST_REQUIRE(r.series.size() == 3u, describe(r));
    BOOST_TEST_REQUIRE(r.studies.size() == 1u);
    BOOST_TEST(r.studies[0].series.size() == 3u);
    std::set<std::string> labels;
    for (const auto& s : r.series) {
        BOOST_TEST_CONTEXT("part '" << s.part << "'") {
            BOOST_TEST(s.series_uid == series);
            labels.insert(s.part);
            BOOST_TEST_REQUIRE(s.slices.size() == 5u);
            BOOST_TEST(s.dims[2] == 5);
            BOOST_TEST(s.spacing_mm[2] == 4.0);
            BOOST_TEST(!has_warning(s, "duplicate|not a volume"), all_warnings(s));
            const std::regex label("time point ([0-9]+) of 3");
            std::smatch m;
            BOOST_TEST_REQUIRE(std::regex_search(s.part, m, label));
            const int t = std::stoi(m[1].str());
            for (std::size_t i = 0; i < s.slices.size(); ++i) {
                const auto& spec = specs[written.at(r.files[s.slices[i].file].path)];
                BOOST_TEST(spec.temporal_position.value_or(0) == t);
                BOOST_TEST(spec.position_lps[2] == 4.0 * static_cast<double>(i));
            }
        }
    }
    BOOST_TEST((labels == std::set<std::string>{"time point 1 of 3", "time point 2 of 3", "time point 3 of 3"}));
}

// (8) One series holding images of two sizes: two volumes, each saying why.
BOOST_AUTO_TEST_CASE(mixed_image_sizes_split) {
    ScratchDir dir("scan");
    const std::string study = new_uid(), series = new_uid();
    std::vector<SliceSpec> specs;
    for (int k = 0; k < 5; ++k) specs.push_back(slice(study, series, {0, 0, 2.0 * k}));
    for (int k = 0; k < 4; ++k) {
        SliceSpec s = slice(study, series, {0, 0, 2.0 * k});
        s.columns = 10;
        specs.push_back(s);
    }
    write_shuffled(dir.path(), specs, 8);
    const ScanResult r = scan_no_throw(dir.path());
    BOOST_TEST_REQUIRE(r.series.size() == 2u, describe(r));
    std::set<std::array<int, 3>> dims;
    for (const auto& s : r.series) {
        dims.insert(s.dims);
        BOOST_TEST(s.series_uid == series);
        BOOST_TEST(!s.part.empty());
        BOOST_TEST(has_warning(s, "mixed|size"), all_warnings(s));
    }
    BOOST_TEST((dims == std::set<std::array<int, 3>>{{8, 6, 5}, {10, 6, 4}}));
}

// Same size and orientation, different pixel spacing (e.g. a zoomed reconstruction filed in the
// same series): one grid cannot hold both, so they must not silently become one volume.
// Fixed bug, kept as a regression test: the volume key in series_builder.cpp is size + orientation only; pixel spacing is ignored,
// so these 8 images become one 8x6x8 volume with the first slice's spacing and no warning.
BOOST_AUTO_TEST_CASE(mixed_pixel_spacing_not_silently_merged) {
    ScratchDir dir("scan");
    const std::string study = new_uid(), series = new_uid();
    std::vector<SliceSpec> specs;
    for (int k = 0; k < 4; ++k) specs.push_back(slice(study, series, {0, 0, 2.0 * k}));
    for (int k = 0; k < 4; ++k) {
        SliceSpec s = slice(study, series, {0, 0, 1.0 + 2.0 * k});
        s.pixel_spacing_mm = {0.25, 0.375};
        specs.push_back(s);
    }
    write_shuffled(dir.path(), specs, 9);
    const ScanResult r = scan_no_throw(dir.path());
    const bool split = r.series.size() == 2 && r.series[0].dims[2] == 4 && r.series[1].dims[2] == 4;
    const bool warned = std::any_of(r.series.begin(), r.series.end(), [](const Series& s) {
        return has_warning(s, "spacing|pixel size|mixed");
    });
    BOOST_TEST((split || warned), "split into two volumes or warned: " << describe(r));
}

// Direction cosines that differ only by rounding noise (2e-10) are one orientation: the stack
// must stay one volume.
// Fixed bug, kept as a regression test: series_builder.cpp keys volumes on the cosines printed with "%.3f"; values either side
// of a rounding boundary (0.0024999999 vs 0.0025000001) land in different keys, so one stack is
// split into "part 1 of 2" / "part 2 of 2" with a "mixed ... orientations" warning.
BOOST_AUTO_TEST_CASE(orientation_rounding_noise_does_not_split) {
    ScratchDir dir("scan");
    const std::string study = new_uid(), series = new_uid();
    std::vector<SliceSpec> specs;
    for (int k = 0; k < 6; ++k) {
        const double s = k % 2 ? 0.0025000001 : 0.0024999999, c = 0.999996875;
        specs.push_back(slice(study, series, {0, 0, 2.0 * k}, {c, s, 0, -s, c, 0}));
    }
    write_shuffled(dir.path(), specs, 17);
    const ScanResult r = scan_no_throw(dir.path());
    const Series* s = only_series(r);
    BOOST_TEST_REQUIRE(s);
    BOOST_TEST(s->dims[2] == 6);
    BOOST_TEST(s->part.empty());
    BOOST_TEST(!has_warning(*s, "mixed"), all_warnings(*s));
}

// 4D where the positions of one time point differ from the other's by rounding noise (2e-8 mm,
// as scanners that compute each IPP write them): still two time points of four slices.
// Fixed bug, kept as a regression test: split_time_points() buckets positions by llround(mm * 1000); -17.68750001 and
// -17.68749999 fall in different buckets, the repetition is not seen, and the 8 images become
// one volume whose steps alternate 0 / 5 mm ("duplicate slice position(s)").
BOOST_AUTO_TEST_CASE(four_d_with_position_rounding_noise) {
    ScratchDir dir("scan");
    const std::string study = new_uid(), series = new_uid();
    std::vector<SliceSpec> specs;
    for (int t = 1; t <= 2; ++t)
        for (int k = 0; k < 4; ++k) {
            SliceSpec s = slice(study, series, {-118.125, -143.344, -17.6875 + 5.0 * k + (t == 1 ? 1e-8 : -1e-8)});
            s.temporal_position = t;
            s.instance_number = (t - 1) * 4 + k + 1;
            specs.push_back(s);
        }
    BOOST_TEST_REQUIRE(ds(specs[0].position_lps[2]) == "-17.68749999");
    write_shuffled(dir.path(), specs, 18);
    const ScanResult r = scan_no_throw(dir.path());
    BOOST_TEST_REQUIRE(r.series.size() == 2u, describe(r));
    for (const auto& s : r.series) {
        BOOST_TEST(s.dims[2] == 4);
        BOOST_TEST(std::regex_search(s.part, std::regex("time point [12] of 2")), s.part);
        BOOST_TEST(!has_warning(s, "duplicate"), all_warnings(s));
    }
}

// (9) Two studies in one folder: a Study each, holding its own series.
BOOST_AUTO_TEST_CASE(two_studies) {
    ScratchDir dir("scan");
    const std::string a = new_uid(), b = new_uid(), a1 = new_uid(), a2 = new_uid(), b1 = new_uid();
    std::vector<SliceSpec> specs;
    for (const auto& [study, series] : std::vector<std::pair<std::string, std::string>>{{a, a1}, {a, a2}, {b, b1}})
        for (auto s : stack(study, series, {1, 0, 0, 0, 1, 0}, {0, 0, 0}, {0, 0, 1}, 3.0, 3)) {
            s.patient_id = study == a ? "PAT-A" : "PAT-B";
            specs.push_back(s);
        }
    write_shuffled(dir.path(), specs, 10);
    const ScanResult r = scan_no_throw(dir.path());
    BOOST_TEST_REQUIRE(r.series.size() == 3u, describe(r));
    BOOST_TEST_REQUIRE(r.studies.size() == 2u, describe(r));
    std::map<std::string, std::set<std::string>> found;
    std::vector<int> owners(r.series.size(), 0);
    for (const auto& st : r.studies) {
        BOOST_TEST(st.patient_id == (st.study_uid == a ? "PAT-A" : "PAT-B"));
        for (std::size_t i : st.series) {
            BOOST_TEST_REQUIRE(i < r.series.size());
            ++owners[i];
            BOOST_TEST(r.series[i].study_uid == st.study_uid);
            BOOST_TEST(r.series[i].dims[2] == 3);
            found[st.study_uid].insert(r.series[i].series_uid);
        }
    }
    BOOST_TEST((found == std::map<std::string, std::set<std::string>>{{a, {a1, a2}}, {b, {b1}}}));
    for (int o : owners) BOOST_TEST(o == 1);  // every series in exactly one study
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------------------------------------
// (10) Bad input, built byte by byte: listed as unreadable with a reason, nothing thrown.
// ---------------------------------------------------------------------------------------------
BOOST_AUTO_TEST_SUITE(scan_bad_input)

BOOST_AUTO_TEST_CASE(empty_file) {
    ScratchDir dir("bad");
    write_bytes(dir / "empty.dcm", "");
    expect_unreadable(dir / "empty.dcm");
    BOOST_CHECK_THROW(read_dicom_header(dir / "empty.dcm"), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(text_file) {
    ScratchDir dir("bad");
    write_bytes(dir / "notes.txt", "Patient: Ada Lovelace\nCT head 2024-01-02, no acute findings.\n");
    expect_unreadable(dir / "notes.txt");
    BOOST_CHECK_THROW(read_dicom_header(dir / "notes.txt"), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(preamble_and_magic_then_garbage) {
    ScratchDir dir("bad");
    std::string bytes(128, '\0');
    bytes += "DICM";
    std::mt19937 rng(11);
    for (int i = 0; i < 4000; ++i) bytes += static_cast<char>(rng() & 0xff);
    write_bytes(dir / "garbage.dcm", bytes);
    expect_unreadable(dir / "garbage.dcm");
    // and with a plausible-looking start: a meta group length element claiming far too much
    std::string lying(128, '\0');
    lying += "DICM";
    lying += std::string("\x02\x00\x00\x00UL\x04\x00\xff\xff\xff\x7f", 12);
    lying += std::string("\x02\x00\x10\x00UI\xff\xff", 8);
    write_bytes(dir / "lying.dcm", lying);
    expect_unreadable(dir / "lying.dcm");
}

// A valid file cut at every length: each cut is either unreadable with a reason, or - only if
// everything up to and including the Pixel Data survived - a readable image. Never a throw.
BOOST_AUTO_TEST_CASE(valid_file_truncated_at_every_length) {
    ScratchDir dir("bad");
    write_slice(dir / "whole.dcm", slice(new_uid(), new_uid(), {1, 2, 3}));
    const std::string whole = consilium::test::read_file(dir / "whole.dcm");
    const std::size_t pixel_bytes = 8 * 6 * 2;
    BOOST_TEST_REQUIRE(whole.size() > pixel_bytes + 132);
    BOOST_TEST_REQUIRE(scan_no_throw(dir / "whole.dcm").files.size() == 1u);
    const fs::path cut = dir / "cut.dcm";
    int readable = 0;
    for (std::size_t length = 0; length < whole.size(); ++length) {
        BOOST_TEST_CONTEXT("cut at " << length << " of " << whole.size()) {
            write_bytes(cut, whole.substr(0, length));
            const ScanResult r = scan_no_throw(cut);
            BOOST_TEST(r.files.size() + r.unreadable.size() == 1u);
            for (const auto& u : r.unreadable) BOOST_TEST(!u.reason.empty());
            if (!r.files.empty()) {
                ++readable;
                // The header is intact only if nothing of the pixel data is missing.
                BOOST_TEST(length >= whole.size(), "a file cut inside its Pixel Data was accepted");
            }
        }
    }
    BOOST_TEST(readable == 0);
}

// Pixel Data larger than the header reader loads into memory, cut in the middle: the file
// cannot be decoded, so it must not be offered as an image.
BOOST_AUTO_TEST_CASE(large_pixel_data_cut_short) {
    ScratchDir dir("bad");
    SliceSpec s = slice(new_uid(), new_uid(), {0, 0, 0});
    s.rows = s.columns = 128;  // 32 KiB of pixel data
    write_slice(dir / "whole.dcm", s);
    const std::string whole = consilium::test::read_file(dir / "whole.dcm");
    for (std::size_t missing : {std::size_t{2}, std::size_t{1000}, std::size_t{20000}}) {
        BOOST_TEST_CONTEXT(missing << " bytes missing") {
            write_bytes(dir / "cut.dcm", whole.substr(0, whole.size() - missing));
            expect_unreadable(dir / "cut.dcm");
        }
    }
}

BOOST_AUTO_TEST_CASE(no_pixel_data) {
    ScratchDir dir("bad");
    SliceSpec s = slice(new_uid(), new_uid(), {0, 0, 0});
    s.pixel_data = false;
    write_slice(dir / "nopixels.dcm", s);
    expect_unreadable(dir / "nopixels.dcm", "pixel data");
}

BOOST_AUTO_TEST_CASE(fifty_megabytes_of_random_bytes) {
    ScratchDir dir("bad");
    std::string bytes(50u << 20, '\0');
    std::mt19937_64 rng(12);
    for (std::size_t i = 0; i + 8 <= bytes.size(); i += 8) {
        const std::uint64_t v = rng();
        std::memcpy(&bytes[i], &v, 8);
    }
    write_bytes(dir / "random.bin", bytes);
    expect_unreadable(dir / "random.bin");
    // the same behind a valid preamble and magic
    std::memset(&bytes[0], 0, 128);
    std::memcpy(&bytes[128], "DICM", 4);
    write_bytes(dir / "random.dcm", bytes);
    expect_unreadable(dir / "random.dcm");
}

BOOST_AUTO_TEST_CASE(path_that_does_not_exist) {
    ScratchDir dir("bad");
    expect_unreadable(dir / "no" / "such" / "folder");
}

// Bad files among good ones: the series is still found, each bad file listed once.
BOOST_AUTO_TEST_CASE(bad_files_next_to_a_good_series) {
    ScratchDir dir("bad");
    const auto specs = stack(new_uid(), new_uid(), {1, 0, 0, 0, 1, 0}, {0, 0, 0}, {0, 0, 1}, 1.0, 4);
    write_shuffled(dir.path(), specs, 13);
    write_bytes(dir / "empty", "");
    write_bytes(dir / "README.txt", "not an image");
    fs::create_directories(dir / "sub" / "deeper");
    write_bytes(dir / "sub" / "deeper" / "x.dcm", std::string(128, '\0') + "DICM" + "\x08");
    const ScanResult r = scan_no_throw(dir.path());
    BOOST_TEST(r.files.size() == 4u, describe(r));
    BOOST_TEST(r.unreadable.size() == 3u, describe(r));
    const Series* s = only_series(r);
    BOOST_TEST_REQUIRE(s);
    BOOST_TEST(s->dims[2] == 4);
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------------------------------------
// (11) Progress and cancellation.
// ---------------------------------------------------------------------------------------------
BOOST_AUTO_TEST_SUITE(scan_progress)

BOOST_AUTO_TEST_CASE(cancelled_before_the_call) {
    ScratchDir dir("cancel");
    const auto specs = stack(new_uid(), new_uid(), {1, 0, 0, 0, 1, 0}, {0, 0, 0}, {0, 0, 1}, 1.0, 40);
    write_shuffled(dir.path(), specs, 14);
    std::atomic<bool> cancel{true};
    ScanOptions options;
    options.cancel = &cancel;
    const ScanResult r = scan_no_throw(dir.path(), options);
    BOOST_TEST(r.files.size() < 40u, describe(r));
    BOOST_TEST(r.unreadable.size() < 40u);
    // with a progress callback too
    std::mutex m;
    std::vector<std::pair<std::size_t, std::size_t>> calls;
    options.progress = [&](std::size_t done, std::size_t total) {
        std::lock_guard<std::mutex> lock(m);
        calls.emplace_back(done, total);
    };
    const ScanResult r2 = scan_no_throw(dir.path(), options);
    BOOST_TEST(r2.files.size() < 40u, describe(r2));
    for (const auto& [done, total] : calls) BOOST_TEST(done <= total);
}

BOOST_AUTO_TEST_CASE(cancelled_from_the_progress_callback) {
    ScratchDir dir("cancel");
    const auto specs = stack(new_uid(), new_uid(), {1, 0, 0, 0, 1, 0}, {0, 0, 0}, {0, 0, 1}, 1.0, 60);
    write_shuffled(dir.path(), specs, 15);
    std::atomic<bool> cancel{false};
    ScanOptions options;
    options.cancel = &cancel;
    options.progress = [&](std::size_t done, std::size_t total) {
        BOOST_TEST(done <= total);
        cancel = true;
    };
    const ScanResult r = scan_no_throw(dir.path(), options);
    BOOST_TEST(r.files.size() <= 60u);  // however far it got, it returned and did not crash
    for (const auto& s : r.series) BOOST_TEST(s.slices.size() <= 60u);
}

BOOST_AUTO_TEST_CASE(progress_reaches_the_total) {
    ScratchDir dir("progress");
    const auto specs = stack(new_uid(), new_uid(), {1, 0, 0, 0, 1, 0}, {0, 0, 0}, {0, 0, 1}, 1.0, 30);
    write_shuffled(dir.path(), specs, 16);
    write_bytes(dir / "junk.txt", "junk");  // unreadable files count too
    std::mutex m;
    std::vector<std::pair<std::size_t, std::size_t>> calls;
    ScanOptions options;
    options.progress = [&](std::size_t done, std::size_t total) {
        std::lock_guard<std::mutex> lock(m);
        calls.emplace_back(done, total);
    };
    const ScanResult r = scan_no_throw(dir.path(), options);
    BOOST_TEST(r.files.size() == 30u);
    BOOST_TEST(r.unreadable.size() == 1u);
    BOOST_TEST_REQUIRE(!calls.empty());
    for (std::size_t i = 0; i < calls.size(); ++i) {
        BOOST_TEST(calls[i].first <= calls[i].second);
        BOOST_TEST(calls[i].second == 31u);
        if (i > 0) BOOST_TEST(calls[i].first >= calls[i - 1].first, "progress went backwards");
    }
    BOOST_TEST(calls.back().first == 31u);
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------------------------------------
// B. The shared data (../shared/data).
// ---------------------------------------------------------------------------------------------
namespace {

fs::path data() { return *consilium::test::shared_data(); }

void quiet_dcmtk() { OFLog::configure(OFLogger::FATAL_LOG_LEVEL); }

// One classic slice as this test reads it with DCMTK directly (not via read_dicom_header).
struct HeaderTruth {
    fs::path path;
    Vec3 ipp{};
    std::array<double, 6> iop{};
    std::array<double, 2> pixel_spacing{};  // between rows, between columns
    int rows = 0, columns = 0;
    long instance = 0;
};

std::optional<HeaderTruth> read_truth(const fs::path& file) {
    quiet_dcmtk();
    DcmFileFormat ff;
    if (ff.loadFile(file.c_str(), EXS_Unknown, EGL_noChange, 4096).bad()) return std::nullopt;
    DcmDataset& d = *ff.getDataset();
    HeaderTruth t;
    t.path = file;
    Float64 v = 0;
    for (unsigned long i = 0; i < 3; ++i) {
        if (d.findAndGetFloat64(DCM_ImagePositionPatient, v, i).bad()) return std::nullopt;
        t.ipp[i] = v;
    }
    for (unsigned long i = 0; i < 6; ++i) {
        if (d.findAndGetFloat64(DCM_ImageOrientationPatient, v, i).bad()) return std::nullopt;
        t.iop[i] = v;
    }
    for (unsigned long i = 0; i < 2; ++i) {
        if (d.findAndGetFloat64(DCM_PixelSpacing, v, i).bad()) return std::nullopt;
        t.pixel_spacing[i] = v;
    }
    Uint16 u = 0;
    if (d.findAndGetUint16(DCM_Rows, u).bad()) return std::nullopt;
    t.rows = u;
    if (d.findAndGetUint16(DCM_Columns, u).bad()) return std::nullopt;
    t.columns = u;
    Sint32 inst = 0;
    if (d.findAndGetSint32(DCM_InstanceNumber, inst).good()) t.instance = inst;
    return t;
}

// Every classic slice under `folder`, sorted along n = row x column (lowest first).
std::vector<HeaderTruth> truth_sorted(const fs::path& folder) {
    std::vector<HeaderTruth> out;
    for (const auto& e : fs::recursive_directory_iterator(folder))
        if (e.is_regular_file())
            if (auto t = read_truth(e.path())) out.push_back(*t);
    if (out.empty()) return out;
    const Vec3 n = normal_of(out.front().iop);
    std::sort(out.begin(), out.end(), [&](const HeaderTruth& a, const HeaderTruth& b) { return dot(a.ipp, n) < dot(b.ipp, n); });
    return out;
}

std::size_t count_files(const fs::path& folder) {
    std::size_t n = 0;
    for (const auto& e : fs::recursive_directory_iterator(folder)) n += e.is_regular_file() ? 1 : 0;
    return n;
}

// Structural soundness of any scan result.
void check_consistent(const ScanResult& r) {
    std::map<std::pair<std::size_t, int>, int> used;
    for (const auto& s : r.series) {
        BOOST_TEST(!s.slices.empty());
        // Slice indexes are strictly increasing and fit the volume (gaps may leave blank slices).
        BOOST_TEST(s.dims[2] >= static_cast<int>(s.slices.size()));
        BOOST_TEST(s.slices.back().index == s.dims[2] - 1);
        for (std::size_t k = 1; k < s.slices.size(); ++k) BOOST_TEST(s.slices[k].index > s.slices[k - 1].index);
        BOOST_TEST((s.dims[0] > 0 && s.dims[1] > 0));
        for (const auto& ref : s.slices) {
            BOOST_TEST_REQUIRE(ref.file < r.files.size());
            BOOST_TEST(s.series_uid == r.files[ref.file].series_uid);
            ++used[{ref.file, ref.frame}];
        }
    }
    for (std::size_t i = 0; i < r.files.size(); ++i) {
        BOOST_TEST(!r.files[i].frames.empty());
        for (const auto& f : r.files[i].frames) {
            const int times = used[std::make_pair(i, f.index)];
            BOOST_TEST(times == 1, r.files[i].path << " frame " << f.index << " is in " << times << " series");
        }
    }
    std::vector<int> owners(r.series.size(), 0);
    for (const auto& st : r.studies)
        for (std::size_t i : st.series) {
            BOOST_TEST_REQUIRE(i < r.series.size());
            ++owners[i];
        }
    for (int o : owners) BOOST_TEST(o == 1);
    for (const auto& u : r.unreadable) BOOST_TEST(!u.reason.empty(), u.path);
}

bool listed_unreadable(const ScanResult& r, const std::string& filename, const std::string& pattern = ".") {
    for (const auto& u : r.unreadable)
        if (u.path.filename() == filename) return std::regex_search(u.reason, std::regex(pattern, std::regex::icase));
    return false;
}

std::string reason_for(const ScanResult& r, const std::string& filename) {
    for (const auto& u : r.unreadable)
        if (u.path.filename() == filename) return u.reason;
    return "(not listed as unreadable)";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(scan_shared_data)

// (12) Every folder of dicom*, scanned: nothing thrown, every file accounted for exactly once.
BOOST_AUTO_TEST_CASE(every_folder_scans, CONSILIUM_SHARED_DATA) {
    for (const char* top : {"dicom", "dicom-edgecases", "dicom-malformed"}) {
        for (const auto& e : fs::directory_iterator(data() / top)) {
            if (!e.is_directory()) continue;
            BOOST_TEST_CONTEXT(e.path()) {
                const ScanResult r = scan_no_throw(e.path());
                BOOST_TEST(r.files.size() + r.unreadable.size() == count_files(e.path()), describe(r));
                check_consistent(r);
            }
        }
    }
}

// Known-bad files of the malformed folder are refused, each with a reason.
BOOST_AUTO_TEST_CASE(malformed_files_are_refused, CONSILIUM_SHARED_DATA) {
    const ScanResult r = scan_no_throw(data() / "dicom-malformed");
    for (const char* name : {"MR_truncated.dcm", "rtplan_truncated.dcm", "zipMR.gz", "no_meta.dcm"})
        BOOST_TEST(listed_unreadable(r, name), name << ": " << reason_for(r, name));
}

// (13) Geometry of the classic series against values computed here from the headers.
BOOST_AUTO_TEST_CASE(classic_series_geometry, CONSILIUM_SHARED_DATA) {
    struct Expect {
        const char* folder;
        std::size_t slices;
        double step_mm;           // README ground truth
        const char* first_file;  // README: lowest along the normal
        std::optional<Vec3> first_ipp;
    };
    const std::vector<Expect> expected = {
        {"dicom/philips-ingenia-elition-adni-sag3d-t1", 170, 1.0, "1301_0001.dcm", std::nullopt},
        {"dicom/siemens-prisma-hfs-t1-sag", 35, 4.8, "0035_1.3.12.2.1107.5.2.43.67060.2022040715053473915060822.dcm",
         Vec3{81.599998474121, -130, 130}},
        {"dicom/philips-ingenuity-ct-head-phantom/S2010-std-brain-5mm", 28, 5.0, "I10", Vec3{-115.5, -1.85, 696.21}},
        {"dicom/ge-genesis-signa-wrist", 16, 2.0, "MR01.dcm", Vec3{65.359375, -5.992188, 23.554688}},
    };
    for (const auto& x : expected) {
        BOOST_TEST_CONTEXT(x.folder) {
            const auto truth = truth_sorted(data() / x.folder);
            BOOST_TEST_REQUIRE(truth.size() == x.slices);
            const auto& first = truth.front();
            const Vec3 n = normal_of(first.iop);
            std::vector<double> steps;
            for (std::size_t i = 1; i < truth.size(); ++i) steps.push_back(dot(truth[i].ipp, n) - dot(truth[i - 1].ipp, n));
            std::sort(steps.begin(), steps.end());
            const double step = steps[steps.size() / 2];
            BOOST_TEST(std::fabs(step - x.step_mm) < 1e-3, "independent step " << step);
            BOOST_TEST(first.path.filename() == x.first_file);
            if (x.first_ipp) check_close(first.ipp, *x.first_ipp, 1e-6, "README first IPP");

            const ScanResult r = scan_no_throw(data() / x.folder);
            const Series* s = only_series(r);
            BOOST_TEST_REQUIRE(s);
            BOOST_TEST(s->dims[0] == first.columns);
            BOOST_TEST(s->dims[1] == first.rows);
            BOOST_TEST(s->dims[2] == static_cast<int>(truth.size()));
            check_close(s->spacing_mm, {first.pixel_spacing[1], first.pixel_spacing[0], step}, 1e-3, "spacing");
            check_close(s->origin_lps, first.ipp, 1e-3, "origin");
            check_close(s->direction, direction_of(first.iop), 1e-5, "direction");
            BOOST_TEST_REQUIRE(s->slices.size() == truth.size());
            for (std::size_t i = 0; i < truth.size(); ++i)
                BOOST_TEST(r.files[s->slices[i].file].path == truth[i].path, "slice " << i);
            BOOST_TEST(!has_warning(*s, "tilt|gap|missing|duplicate|not a volume|non-uniform"), all_warnings(*s));
        }
    }
}

// (14) The awkward series each get their warning or their split.
BOOST_AUTO_TEST_CASE(tilted_ct_warns, CONSILIUM_SHARED_DATA) {
    const fs::path folder = data() / "dicom/philips-ingenuity-ct-head-phantom/S21610-S2010-stereotaxis-tilt";
    const ScanResult r = scan_no_throw(folder);
    const Series* s = only_series(r);
    BOOST_TEST_REQUIRE(s);
    BOOST_TEST(s->dims[2] == 54);
    BOOST_TEST(std::fabs(std::fabs(s->gantry_tilt_deg) - 18.5) <= 0.5, "tilt " << s->gantry_tilt_deg);
    BOOST_TEST(has_warning(*s, "tilt"), all_warnings(*s));
    const auto stated = tilt_in_warnings(*s);
    BOOST_TEST((stated && std::fabs(std::fabs(*stated) - 18.5) <= 0.5), all_warnings(*s));
    // the step along the normal (README: 2.3708), and the geometry as the headers give it
    BOOST_TEST(std::fabs(s->spacing_mm[2] - 2.3708) < 1e-3, s->spacing_mm[2]);
    const auto truth = truth_sorted(folder);
    BOOST_TEST_REQUIRE(truth.size() == 54u);
    check_close(s->origin_lps, truth.front().ipp, 1e-3, "origin");
    check_close(s->direction, direction_of(truth.front().iop), 1e-5, "direction");
}

BOOST_AUTO_TEST_CASE(slice_gap_warns, CONSILIUM_SHARED_DATA) {
    const ScanResult r = scan_no_throw(data() / "dicom-edgecases/ge-lightspeed16-ct-slice-gap");
    const Series* s = only_series(r);
    BOOST_TEST_REQUIRE(s);
    BOOST_TEST(s->dims[2] == 5);  // 4 images and the one missing slice, left blank
    BOOST_TEST(s->slices.size() == 4u);
    BOOST_TEST(has_warning(*s, "gap|missing"), all_warnings(*s));
    BOOST_TEST(std::fabs(s->spacing_mm[2] - 5.0) < 1e-3, s->spacing_mm[2]);
    check_close(s->origin_lps, {-123.5, -115.199997, 18.1075}, 1e-6, "origin");
}

BOOST_AUTO_TEST_CASE(same_position_is_not_a_volume, CONSILIUM_SHARED_DATA) {
    const ScanResult r = scan_no_throw(data() / "dicom-edgecases/siemens-ct-not-a-volume-same-position");
    const Series* s = only_series(r);
    BOOST_TEST_REQUIRE(s);
    BOOST_TEST(has_warning(*s, "not a volume"), all_warnings(*s));
}

BOOST_AUTO_TEST_CASE(fmri_splits_into_ten_volumes, CONSILIUM_SHARED_DATA) {
    const fs::path folder = data() / "dicom/ge-fmri-epi-4d";
    const ScanResult r = scan_no_throw(folder);
    BOOST_TEST_REQUIRE(r.series.size() == 10u, describe(r));
    BOOST_TEST(r.files.size() == 150u);
    // instance numbers read here: 1-15 are the first time point, 16-30 the second, ...
    std::map<fs::path, HeaderTruth> truth;
    for (const auto& t : truth_sorted(folder)) truth[t.path] = t;
    BOOST_TEST_REQUIRE(truth.size() == 150u);
    std::set<std::string> labels;
    for (const auto& s : r.series) {
        BOOST_TEST_CONTEXT("part '" << s.part << "'") {
            labels.insert(s.part);
            BOOST_TEST_REQUIRE(s.slices.size() == 15u);
            BOOST_TEST(std::fabs(s.spacing_mm[2] - 5.0) < 1e-3);
            std::smatch m;
            BOOST_TEST_REQUIRE(std::regex_search(s.part, m, std::regex("time point ([0-9]+) of 10")));
            const long t = std::stol(m[1].str());
            for (std::size_t i = 0; i < s.slices.size(); ++i) {
                const auto& f = r.files[s.slices[i].file];
                const long inst = truth.at(f.path).instance;
                BOOST_TEST((inst > (t - 1) * 15 && inst <= t * 15), f.path.filename() << " (instance " << inst << ")");
                if (i > 0) {  // axial: the normal is +z
                    const auto& prev = r.files[s.slices[i - 1].file];
                    BOOST_TEST(truth.at(f.path).ipp[2] > truth.at(prev.path).ipp[2]);
                }
            }
            check_close(s.origin_lps, {-118.125, -143.344, -17.6875}, 1e-6, "origin");
        }
    }
    BOOST_TEST(labels.size() == 10u);
}

BOOST_AUTO_TEST_CASE(mixed_orientation_splits_in_two, CONSILIUM_SHARED_DATA) {
    const ScanResult r = scan_no_throw(data() / "dicom-edgecases/philips-ingenia-mr-mixed-orientation");
    BOOST_TEST_REQUIRE(r.series.size() == 2u, describe(r));
    std::set<double> spacings;
    for (const auto& s : r.series) {
        BOOST_TEST(s.dims[2] == 2);
        BOOST_TEST(has_warning(s, "mixed"), all_warnings(s));
        spacings.insert(std::round(s.spacing_mm[0] * 1000) / 1000);
        // both images of one part share its orientation
        for (const auto& ref : s.slices)
            check_close(direction_of(r.files[ref.file].frames[0].orientation.value()), s.direction, 1e-9, "direction");
    }
    BOOST_TEST((spacings == std::set<double>{0.32, 0.556}));
}

// A mosaic holds a whole volume in one image: two mosaic files must not pass for a plain,
// warning-free two-slice volume.
BOOST_AUTO_TEST_CASE(mosaic_is_not_a_plain_two_slice_volume, CONSILIUM_SHARED_DATA) {
    const ScanResult r = scan_no_throw(data() / "dicom/siemens-trio-mosaic-ax");
    for (const auto& s : r.series)
        BOOST_TEST(!(s.dims[2] == 2 && s.warnings.empty()), describe(r));
}

// (15) The enhanced multi-frame MR: one volume from the per-frame functional groups.
BOOST_AUTO_TEST_CASE(enhanced_multiframe_mr, CONSILIUM_SHARED_DATA) {
    const fs::path folder = data() / "dicom/siemens-prisma-xa30-enhanced-t1w";
    const fs::path file = folder / "0001_1.3.12.2.1107.5.2.43.67093.2022071112080825794102791.dcm";
    const ScanResult r = scan_no_throw(folder);
    const Series* s = only_series(r);
    BOOST_TEST_REQUIRE(s);
    BOOST_TEST((s->dims == std::array<int, 3>{128, 128, 96}));
    check_close(s->spacing_mm, {2, 2, 2}, 1e-3, "spacing");
    BOOST_TEST(!has_warning(*s, "tilt|gap|missing|duplicate|not a volume|non-uniform"), all_warnings(*s));

    // Per-frame positions and the orientation, read here from the functional groups.
    quiet_dcmtk();
    DcmFileFormat ff;
    BOOST_TEST_REQUIRE(ff.loadFile(file.c_str(), EXS_Unknown, EGL_noChange, 4096).good());
    DcmDataset& d = *ff.getDataset();
    DcmSequenceOfItems* per_frame = nullptr;
    BOOST_TEST_REQUIRE(d.findAndGetSequence(DCM_PerFrameFunctionalGroupsSequence, per_frame).good());
    BOOST_TEST_REQUIRE(per_frame->card() == 96u);
    auto numbers = [](DcmItem& groups, const DcmTagKey& seq, const DcmTagKey& tag, std::size_t count) {
        std::vector<double> out;
        DcmItem* item = nullptr;
        if (groups.findAndGetSequenceItem(seq, item, 0).bad() || !item) return out;
        Float64 v = 0;
        for (unsigned long i = 0; i < count && item->findAndGetFloat64(tag, v, i).good(); ++i) out.push_back(v);
        return out;
    };
    std::vector<Vec3> position(96);
    std::array<double, 6> iop{};
    for (unsigned long i = 0; i < 96; ++i) {
        DcmItem& groups = *per_frame->getItem(i);
        const auto p = numbers(groups, DCM_PlanePositionSequence, DCM_ImagePositionPatient, 3);
        BOOST_TEST_REQUIRE(p.size() == 3u);
        position[i] = {p[0], p[1], p[2]};
        auto o = numbers(groups, DCM_PlaneOrientationSequence, DCM_ImageOrientationPatient, 6);
        if (o.size() != 6) {
            DcmItem* shared = nullptr;
            BOOST_TEST_REQUIRE(d.findAndGetSequenceItem(DCM_SharedFunctionalGroupsSequence, shared, 0).good());
            o = numbers(*shared, DCM_PlaneOrientationSequence, DCM_ImageOrientationPatient, 6);
        }
        BOOST_TEST_REQUIRE(o.size() == 6u);
        std::copy(o.begin(), o.end(), iop.begin());
    }
    const Vec3 n = normal_of(iop);
    check_close(s->direction, direction_of(iop), 1e-5, "direction");
    BOOST_TEST_REQUIRE(s->slices.size() == 96u);
    std::set<int> frames;
    for (std::size_t i = 0; i < s->slices.size(); ++i) {
        const auto& ref = s->slices[i];
        BOOST_TEST(r.files[ref.file].path == file);
        BOOST_TEST_REQUIRE((ref.frame >= 0 && ref.frame < 96));
        frames.insert(ref.frame);
        if (i > 0) {
            const double step = dot(position[static_cast<std::size_t>(ref.frame)], n) -
                                dot(position[static_cast<std::size_t>(s->slices[i - 1].frame)], n);
            BOOST_TEST(std::fabs(step - 2.0) < 1e-3, "step to slice " << i << ": " << step);
        }
    }
    BOOST_TEST(frames.size() == 96u);
    check_close(s->origin_lps, position[static_cast<std::size_t>(s->slices.front().frame)], 1e-6, "origin");
    check_close(s->origin_lps, {89.5761, -156.094, 113.224}, 1e-3, "origin");

    // The reference NIfTI (dcm2niix) covers the same voxel centres: compare the grids' corners.
    std::ifstream nii(folder / "reference-dcm2niix/5_anat-T1w_acq-tfl.nii", std::ios::binary);
    char hdr[348] = {};
    nii.read(hdr, sizeof hdr);
    BOOST_TEST_REQUIRE(nii.gcount() == 348);
    std::int32_t sizeof_hdr = 0;
    std::memcpy(&sizeof_hdr, hdr, 4);
    BOOST_TEST_REQUIRE(sizeof_hdr == 348);  // little-endian NIfTI-1
    std::int16_t dim[8], sform_code = 0;
    std::memcpy(dim, hdr + 40, sizeof dim);
    std::memcpy(&sform_code, hdr + 254, 2);
    float srow[3][4];
    std::memcpy(srow, hdr + 280, sizeof srow);
    BOOST_TEST_REQUIRE(sform_code > 0);
    auto nifti_lps = [&](double i, double j, double k) {
        Vec3 ras{};
        for (int a = 0; a < 3; ++a) ras[a] = srow[a][0] * i + srow[a][1] * j + srow[a][2] * k + srow[a][3];
        return Vec3{-ras[0], -ras[1], ras[2]};
    };
    auto scan_lps = [&](double i, double j, double k) {
        const Vec3 ijk{i * s->spacing_mm[0], j * s->spacing_mm[1], k * s->spacing_mm[2]};
        Vec3 p = s->origin_lps;
        for (int a = 0; a < 3; ++a)
            for (int b = 0; b < 3; ++b) p[a] += s->direction[static_cast<std::size_t>(3 * a + b)] * ijk[b];
        return p;
    };
    std::vector<Vec3> nifti_corners, scan_corners;
    for (int c = 0; c < 8; ++c) {
        nifti_corners.push_back(nifti_lps(c & 1 ? dim[1] - 1 : 0, c & 2 ? dim[2] - 1 : 0, c & 4 ? dim[3] - 1 : 0));
        scan_corners.push_back(scan_lps(c & 1 ? s->dims[0] - 1 : 0, c & 2 ? s->dims[1] - 1 : 0, c & 4 ? s->dims[2] - 1 : 0));
    }
    auto nearest = [](const Vec3& p, const std::vector<Vec3>& set) {
        double best = 1e300;
        for (const auto& q : set) best = std::min(best, std::sqrt(dot(add(p, q, -1), add(p, q, -1))));
        return best;
    };
    for (const auto& p : nifti_corners) BOOST_TEST(nearest(p, scan_corners) < 0.01, "NIfTI corner not in the scan's grid");
    for (const auto& p : scan_corners) BOOST_TEST(nearest(p, nifti_corners) < 0.01, "scan corner not in the NIfTI's grid");
}

// (16) The files that abort GDCM in-process: scanned, no crash; the DICOMDIR named as such.
BOOST_AUTO_TEST_CASE(gdcm_crashing_files, CONSILIUM_SHARED_DATA) {
    {
        const fs::path liver = data() / "dicom/pydicom-data/liver_rle.dcm";
        const ScanResult r = scan_no_throw(liver);
        BOOST_TEST(r.files.size() + r.unreadable.size() == 1u, describe(r));
        for (const auto& u : r.unreadable) BOOST_TEST(!u.reason.empty());
        check_consistent(r);
    }
    {
        const fs::path dicomdir = data() / "dicom/pydicom/dicomdirtests/DICOMDIR-nooffset";
        expect_unreadable(dicomdir, "DICOMDIR");
    }
    // every DICOMDIR in the tree is named as one
    const ScanResult r = scan_no_throw(data() / "dicom/pydicom/dicomdirtests");
    for (const auto& e : fs::recursive_directory_iterator(data() / "dicom/pydicom/dicomdirtests")) {
        const auto name = e.path().filename().string();
        if (e.is_regular_file() && name.rfind("DICOMDIR", 0) == 0)
            BOOST_TEST(listed_unreadable(r, name, "DICOMDIR"), name << ": " << reason_for(r, name));
    }
}

BOOST_AUTO_TEST_SUITE_END()
