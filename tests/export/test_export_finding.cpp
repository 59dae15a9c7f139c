// `export-finding`: the SR and SEG of reviewed lung-nodule findings on the demo CT, read back with
// dcmdump, dsrdump and DCMTK itself and compared with what the plugin found and the clinician
// decided; refusals for undecided, rejected and unimageable suggestions, and for missing images.
#include "demo_findings.h"

#include "consilium/viewer/load.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmfg/fgplanpo.h>
#include <dcmtk/dcmseg/segdoc.h>
#include <dcmtk/dcmseg/segment.h>
#include <dcmtk/dcmseg/segutils.h>
#include <dcmtk/dcmsr/codes/dcm.h>
#include <dcmtk/dcmsr/dsrdoc.h>

#include <cmath>
#include <map>
#include <memory>

namespace {

namespace fs = std::filesystem;
using namespace consilium::test;
using namespace consilium::test::clitest;
using consilium::test::exporting::demo;

std::string str(const OFString& s) { return s.c_str(); }

// dcmdump reads the whole file (pixel data too) and says nothing on stderr.
void dumps_clean(const fs::path& file) {
    auto r = run_program({"dcmdump", "-q", "+L", file.string()});
    BOOST_TEST(r.exit_code == 0, file << ": " << shown(r));
    BOOST_TEST(r.err.empty(), file << ": dcmdump said: " << r.err);
}

json exported(const std::string& user, std::int64_t id, const fs::path& out) {
    return demo().json_as(user, {"export-finding", std::to_string(id), "--out", out.string()});
}

// SOP Instance UID -> Image Position (Patient) of each image of the demo CT.
std::map<std::string, std::array<double, 3>> source_positions() {
    std::map<std::string, std::array<double, 3>> out;
    for (const auto& e : fs::directory_iterator(demo().series_folder)) {
        DcmFileFormat ff;
        BOOST_REQUIRE(ff.loadFile(e.path().c_str(), EXS_Unknown, EGL_noChange, 4096).good());
        OFString uid;
        ff.getDataset()->findAndGetOFString(DCM_SOPInstanceUID, uid);
        std::array<double, 3> p{};
        for (unsigned long i = 0; i < 3; ++i) ff.getDataset()->findAndGetFloat64(DCM_ImagePositionPatient, p[i], i);
        out[str(uid)] = p;
    }
    return out;
}

struct Region {
    std::array<double, 3> center{}, size{};
};
Region region_of(const json& suggestion) {
    for (const auto& e : suggestion["evidence"])
        if (e["type"] == "roi") return {e["center_lps"].get<std::array<double, 3>>(), e["size_mm"].get<std::array<double, 3>>()};
    BOOST_FAIL("no roi evidence");
    return {};
}
std::string mask_file_of(const json& suggestion) {
    for (const auto& e : suggestion["evidence"])
        if (e["type"] == "mask") return e["file"];
    return "";
}

// Index of the voxel nearest to a point (direction columns are the axes).
std::array<int, 3> voxel_at(const consilium::viewer::Volume& v, const std::array<double, 3>& p) {
    std::array<int, 3> ijk{};
    for (int a = 0; a < 3; ++a) {
        double along = 0;
        for (int r = 0; r < 3; ++r) along += (p[r] - v.origin_lps[r]) * v.direction[static_cast<std::size_t>(r * 3 + a)];
        ijk[static_cast<std::size_t>(a)] = static_cast<int>(std::lround(along / v.spacing_mm[static_cast<std::size_t>(a)]));
    }
    return ijk;
}

// The item of the SR tree with that concept name (anywhere below the root).
DSRContentItem& item_named(DSRDocument& doc, const DSRCodedEntryValue& concept_name) {
    BOOST_REQUIRE_MESSAGE(doc.getTree().gotoNamedNode(concept_name) > 0, "no '" << concept_name.getCodeMeaning() << "' in the SR");
    return doc.getTree().getCurrentContentItem();
}

void check_sr(const fs::path& file, const json& s, const json& out, const std::string& reviewer, const std::string& concept_code,
              bool modified) {
    const auto& d = demo();
    DcmFileFormat ff;
    BOOST_REQUIRE(ff.loadFile(file.c_str()).good());
    DSRDocument doc;
    BOOST_REQUIRE(doc.read(*ff.getDataset()).good());
    BOOST_TEST(doc.getDocumentType() == DSRTypes::DT_Comprehensive3DSR);
    OFString v;
    doc.getStudyInstanceUID(v);
    BOOST_TEST(str(v) == d.study_uid);  // filed under the CT's study
    doc.getSeriesInstanceUID(v);
    BOOST_TEST(str(v) == out["sr"]["series_uid"].get<std::string>());
    BOOST_TEST(str(v).rfind("2.25.", 0) == 0u);
    doc.getSOPInstanceUID(v);
    BOOST_TEST(str(v) == out["sr"]["sop_instance_uid"].get<std::string>());
    doc.getPatientID(v);
    BOOST_TEST(str(v) == out["patient_id"].get<std::string>());
    BOOST_TEST(doc.getVerificationFlag() == DSRTypes::VF_Verified);
    BOOST_REQUIRE_EQUAL(doc.getNumberOfVerifyingObservers(), 1u);
    OFString when, name, org;
    BOOST_REQUIRE(doc.getVerifyingObserver(1, when, name, org).good());
    BOOST_TEST(str(name) == reviewer);

    BOOST_TEST(doc.getTree().getCurrentContentItem().getConceptName().getCodeValue() == "126000");  // the root: TID 1500
    BOOST_TEST(item_named(doc, CODE_DCM_PersonObserverName).getStringValue() == reviewer.c_str());
    BOOST_TEST(item_named(doc, CODE_DCM_DeviceObserverName).getStringValue() == "org.consilium.lung-nodules");
    BOOST_TEST(item_named(doc, CODE_DCM_AlgorithmName).getStringValue() == "Lung nodule candidates (CT)");
    BOOST_TEST(item_named(doc, CODE_DCM_AlgorithmVersion).getStringValue() == "1.0.0 (model classical-threshold-cc-1)");
    BOOST_TEST(item_named(doc, CODE_DCM_Finding).getCodeValue().getCodeValue() == concept_code.c_str());
    BOOST_TEST(item_named(doc, CODE_DCM_Finding).getCodeValue().getCodingSchemeDesignator() == "SCT");
    const auto& decision = item_named(doc, DSRCodedEntryValue("review-decision", "99CONSILIUM", "Clinician's review decision"));
    BOOST_TEST(decision.getCodeValue().getCodeValue() == (modified ? "modified" : "accepted"));
    BOOST_TEST(!decision.getObservationDateTime().empty());
    if (modified)
        BOOST_TEST(item_named(doc, DSRCodedEntryValue("proposed-finding", "99CONSILIUM", "Finding proposed by the algorithm"))
                       .getCodeValue()
                       .getCodeValue() == "786838002");
    const double confidence = s["confidence"].get<double>();
    BOOST_TEST(std::stod(item_named(doc, CODE_DCM_CertaintyOfFinding).getNumericValue().getNumericValue().c_str()) ==
                   confidence * 100,
               boost::test_tools::tolerance(1e-3));

    // The region: centre and ellipsoid in the CT's frame of reference, as the plugin gave them.
    const auto region = region_of(s);
    auto centre = item_named(doc, CODE_DCM_Center).getSpatialCoordinates3D();
    BOOST_TEST(centre.getGraphicType() == DSRTypes::GT3_Point);
    BOOST_TEST(str(centre.getFrameOfReferenceUID()) == out["frame_of_reference_uid"].get<std::string>());
    Float32 x = 0, y = 0, z = 0;
    BOOST_REQUIRE(centre.getGraphicDataList().getItem(1, x, y, z).good());
    BOOST_TEST(x == region.center[0], boost::test_tools::tolerance(1e-3));
    BOOST_TEST(y == region.center[1], boost::test_tools::tolerance(1e-3));
    BOOST_TEST(z == region.center[2], boost::test_tools::tolerance(1e-3));
    auto ellipsoid = item_named(doc, CODE_DCM_RegionInSpace).getSpatialCoordinates3D();
    BOOST_TEST(ellipsoid.getGraphicType() == DSRTypes::GT3_Ellipsoid);
    BOOST_REQUIRE_EQUAL(ellipsoid.getGraphicDataList().getNumberOfItems(), 6u);
    Float32 x0 = 0, y0 = 0, z0 = 0, x1 = 0, y1 = 0, z1 = 0;
    ellipsoid.getGraphicDataList().getItem(1, x0, y0, z0);
    ellipsoid.getGraphicDataList().getItem(2, x1, y1, z1);
    BOOST_TEST(x1 - x0 == region.size[0], boost::test_tools::tolerance(1e-3));

    // Images and the segment it refers to are listed as evidence.
    const auto& segment = item_named(doc, CODE_DCM_ReferencedSegment).getImageReference();
    BOOST_TEST(str(segment.getSOPInstanceUID()) == out["seg"]["sop_instance_uid"].get<std::string>());
    BOOST_TEST(str(segment.getSOPClassUID()) == UID_SegmentationStorage);
    BOOST_TEST(item_named(doc, CODE_DCM_SourceSeriesForSegmentation).getStringValue() == d.series_uid.c_str());
    BOOST_TEST(doc.getCurrentRequestedProcedureEvidence().gotoItem(UID_SegmentationStorage,
                                                                   out["seg"]["sop_instance_uid"].get<std::string>().c_str()).good());
    const auto positions = source_positions();
    std::size_t images = 0;
    auto& tree = doc.getTree();
    BOOST_REQUIRE(tree.gotoNamedNode(CODE_DCM_ImageLibraryGroup) > 0);
    BOOST_REQUIRE(tree.goDown() > 0);
    do {
        const auto& image = tree.getCurrentContentItem().getImageReference();
        BOOST_TEST(positions.count(str(image.getSOPInstanceUID())) == 1u);  // an image of the CT
        BOOST_TEST(std::abs(positions.at(str(image.getSOPInstanceUID()))[2] - region.center[2]) <= region.size[2] / 2 + 1e-3);
        BOOST_TEST(doc.getCurrentRequestedProcedureEvidence().gotoItem(image.getSOPClassUID(), image.getSOPInstanceUID()).good());
        ++images;
    } while (tree.gotoNext() > 0);
    BOOST_TEST(images >= 1u);
}

void check_seg(const fs::path& file, const json& s, const json& out, const std::string& reviewer, const std::string& concept_code) {
    const auto& d = demo();
    const auto mask = consilium::viewer::load_volume_file(d.cli.workspace / mask_file_of(s));
    const auto centre = voxel_at(mask, region_of(s).center);
    const auto plane = static_cast<std::size_t>(mask.dims[0]) * static_cast<std::size_t>(mask.dims[1]);
    auto label_at = [&](std::size_t k, std::size_t p) { return static_cast<int>(mask.value(k * plane + p)); };
    const int label = label_at(static_cast<std::size_t>(centre[2]),
                               static_cast<std::size_t>(centre[1]) * static_cast<std::size_t>(mask.dims[0]) +
                                   static_cast<std::size_t>(centre[0]));
    BOOST_REQUIRE_GT(label, 0);
    BOOST_TEST(out["mask_label"] == label);
    std::size_t slices_with_label = 0;
    for (std::size_t k = 0; k < static_cast<std::size_t>(mask.dims[2]); ++k)
        for (std::size_t p = 0; p < plane; ++p)
            if (label_at(k, p) == label) {
                ++slices_with_label;
                break;
            }

    DcmSegmentation* raw = nullptr;
    BOOST_REQUIRE(DcmSegmentation::loadFile(file.c_str(), raw).good());
    std::unique_ptr<DcmSegmentation> seg(raw);
    BOOST_TEST(seg->getSegmentationType() == DcmSegTypes::ST_BINARY);
    BOOST_REQUIRE_EQUAL(seg->getNumberOfSegments(), 1u);
    auto* segment = seg->getSegment(1);
    BOOST_TEST(segment->getSegmentAlgorithmType() == DcmSegTypes::SAT_AUTOMATIC);
    OFString v;
    segment->getSegmentAlgorithmName(v);
    BOOST_TEST(str(v) == "Lung nodule candidates (CT)");
    segment->getSegmentedPropertyTypeCode().getCodeValue(v);
    BOOST_TEST(str(v) == concept_code);
    seg->getContentIdentification().getContentCreatorName(v);
    BOOST_TEST(str(v) == reviewer);
    seg->getStudy().getStudyInstanceUID(v);
    BOOST_TEST(str(v) == d.study_uid);
    seg->getFrameOfReference().getFrameOfReferenceUID(v);
    BOOST_TEST(str(v) == out["frame_of_reference_uid"].get<std::string>());
    seg->getSOPCommon().getSOPInstanceUID(v);
    BOOST_TEST(str(v) == out["seg"]["sop_instance_uid"].get<std::string>());

    // One frame per slice the label touches, each at that slice, holding exactly the label's voxels
    // and derived from the CT image at the same place.
    const auto frames = seg->getNumberOfFrames();
    BOOST_TEST(frames == slices_with_label);
    DcmFileFormat ff;
    BOOST_REQUIRE(ff.loadFile(file.c_str()).good());
    DcmSequenceOfItems* per_frame = nullptr;
    BOOST_REQUIRE(ff.getDataset()->findAndGetSequence(DCM_PerFrameFunctionalGroupsSequence, per_frame).good());
    BOOST_REQUIRE_EQUAL(per_frame->card(), frames);
    const auto positions = source_positions();
    Uint16 rows = 0, columns = 0;
    ff.getDataset()->findAndGetUint16(DCM_Rows, rows);
    ff.getDataset()->findAndGetUint16(DCM_Columns, columns);
    BOOST_REQUIRE_EQUAL(columns, mask.dims[0]);
    BOOST_REQUIRE_EQUAL(rows, mask.dims[1]);
    for (Uint32 f = 0; f < frames; ++f) {
        BOOST_TEST_CONTEXT("frame " << f) {
            auto* pos = dynamic_cast<FGPlanePosPatient*>(seg->getFunctionalGroups().get(f, DcmFGTypes::EFG_PLANEPOSPATIENT));
            BOOST_REQUIRE(pos);
            std::array<double, 3> p{};
            BOOST_REQUIRE(pos->getImagePositionPatient(p[0], p[1], p[2]).good());
            const auto ijk = voxel_at(mask, p);
            BOOST_TEST(ijk[0] == 0);
            BOOST_TEST(ijk[1] == 0);
            const auto k = static_cast<std::size_t>(ijk[2]);
            BOOST_REQUIRE(k < static_cast<std::size_t>(mask.dims[2]));
            std::unique_ptr<DcmIODTypes::Frame> bits(DcmSegUtils::unpackBinaryFrame(seg->getFrame(f), rows, columns));
            BOOST_REQUIRE(bits);
            std::size_t differ = 0, set = 0;
            for (std::size_t px = 0; px < plane; ++px) {
                const bool want = label_at(k, px) == label;
                set += bits->pixData[px] ? 1 : 0;
                differ += (bits->pixData[px] != 0) != want ? 1 : 0;
            }
            BOOST_TEST(differ == 0u);
            BOOST_TEST(set > 0u);
            OFString source_uid;
            BOOST_REQUIRE(per_frame->getItem(f)->findAndGetOFString(DCM_ReferencedSOPInstanceUID, source_uid, 0, OFTrue).good());
            BOOST_REQUIRE(positions.count(str(source_uid)) == 1u);
            const auto& q = positions.at(str(source_uid));
            BOOST_TEST(std::abs(q[0] - p[0]) + std::abs(q[1] - p[1]) + std::abs(q[2] - p[2]) < 1e-3);
        }
    }
}

BOOST_AUTO_TEST_CASE(accepted_finding_as_sr_and_seg) {
    auto& d = demo();
    const auto id = d.accepted["id"].get<std::int64_t>();
    const auto out = exported("radiologist", id, d.dir / "accepted");
    BOOST_TEST(out["suggestion"] == id);
    BOOST_TEST(out["study_uid"] == d.study_uid);
    BOOST_REQUIRE(out["seg"].is_object());
    const fs::path sr = out["sr"]["file"].get<std::string>(), seg = out["seg"]["file"].get<std::string>();
    BOOST_TEST(sr == d.dir / "accepted" / "sr.dcm");
    BOOST_TEST(seg == d.dir / "accepted" / "seg.dcm");
    dumps_clean(sr);
    dumps_clean(seg);
    check_sr(sr, d.accepted, out, "radiologist", "786838002", false);
    check_seg(seg, d.accepted, out, "radiologist", "786838002");

    // dsrdump shows the template tree with the algorithm and the reviewer.
    auto tree = run_program({"dsrdump", "-q", sr.string()});
    BOOST_TEST(tree.exit_code == 0, shown(tree));
    CHECK_CONTAINS(tree.out, "Imaging Measurement Report");
    CHECK_CONTAINS(tree.out, "Lung nodule candidates (CT)");
    CHECK_CONTAINS(tree.out, "radiologist");
    CHECK_CONTAINS(tree.out, "SCOORD3D");
    // Only the two files, no temporary left beside them.
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(d.dir / "accepted")) ++entries;
    BOOST_TEST(entries == 2u);
}

BOOST_AUTO_TEST_CASE(the_reviewers_measurements_on_the_series_go_into_the_sr) {
    auto& d = demo();
    const auto db = d.cli.workspace / "consilium.db";
    const std::string series = "(SELECT id FROM imaging_series WHERE series_uid = '" + d.series_uid + "')";
    auto add = [&](const std::string& user, const std::string& kind, const std::string& values, const std::string& deleted) {
        clitest::sqlite(db, "INSERT INTO measurement(series_id, user_name, kind, from_x, from_y, from_z, to_x, to_y, to_z, "
                            "length_mm, area_mm2, mean, sd, unit, created_at, deleted_by, deleted_at) VALUES (" +
                                series + ", '" + user + "', '" + kind + "', -10, 20, -150, 30.5, 20, -150, " + values +
                                ", 'HU', '2026-01-02T10:00:00Z', " + deleted + ")");
    };
    add("radiologist", "distance", "42.5, NULL, NULL, NULL", "NULL, NULL");
    add("radiologist", "region", "NULL, 315.25, -612.5, 48.25", "NULL, NULL");
    add("radiologist", "distance", "11.125, NULL, NULL, NULL", "'radiologist', '2026-01-02T11:00:00Z'");  // deleted
    add("physician", "distance", "77.75, NULL, NULL, NULL", "NULL, NULL");  // another reader's
    const auto id = d.accepted["id"].get<std::int64_t>();
    const auto out = exported("radiologist", id, d.dir / "with-measurements");
    const fs::path sr = out["sr"]["file"].get<std::string>();
    dumps_clean(sr);
    auto tree = run_program({"dsrdump", "-q", "+Pc", sr.string()});
    BOOST_TEST(tree.exit_code == 0, shown(tree));
    CHECK_CONTAINS(tree.out, "410668003");   // Length
    CHECK_CONTAINS(tree.out, "42.500");
    CHECK_CONTAINS(tree.out, "42798000");    // Area
    CHECK_CONTAINS(tree.out, "315.250");
    CHECK_CONTAINS(tree.out, "-612.500");    // mean HU
    CHECK_CONTAINS(tree.out, "hnsf");
    CHECK_CONTAINS(tree.out, "Measurement ");
    BOOST_TEST(tree.out.find("11.125") == std::string::npos, "a deleted measurement was exported");
    BOOST_TEST(tree.out.find("77.750") == std::string::npos, "another reader's measurement was exported");
    clitest::sqlite(db, "DELETE FROM measurement");
}

BOOST_AUTO_TEST_CASE(modified_finding_carries_the_clinicians_concept) {
    auto& d = demo();
    const auto id = d.modified["id"].get<std::int64_t>();
    // An admin may export too (a resend); the SR still names the physician who decided.
    const auto out = exported("admin", id, d.dir / "modified");
    const fs::path sr = out["sr"]["file"].get<std::string>(), seg = out["seg"]["file"].get<std::string>();
    dumps_clean(sr);
    dumps_clean(seg);
    check_sr(sr, d.modified, out, "physician", "45647009", true);
    check_seg(seg, d.modified, out, "physician", "45647009");
}

BOOST_AUTO_TEST_CASE(what_may_not_leave_is_refused_and_nothing_is_written) {
    auto& d = demo();
    const auto proposed = std::to_string(d.proposed["id"].get<std::int64_t>());
    auto r = d.as("radiologist", {"export-finding", proposed, "--out", (d.dir / "refused").string()});
    CHECK_EXIT(r, 2);
    CHECK_CONTAINS(r.err, "suggestion " + proposed);
    CHECK_CONTAINS(r.err, "proposed");
    BOOST_TEST(!fs::exists(d.dir / "refused"));

    // Rejected: still refused (reviewed on a copy of the workspace, the shared one keeps it proposed).
    const auto copy = d.dir / "copy";
    fs::create_directories(copy);
    fs::copy(d.cli.workspace, copy / "ws", fs::copy_options::recursive);
    Cli other{copy};
    REQUIRE_EXIT(other.run({"review", proposed, "reject", "--reason-code", "clinically_incorrect"}, "radiologist", "radiologist"), 0);
    r = other.run({"export-finding", proposed, "--out", (copy / "refused").string()}, "radiologist", "radiologist");
    CHECK_EXIT(r, 2);
    CHECK_CONTAINS(r.err, "suggestion " + proposed);
    CHECK_CONTAINS(r.err, "rejected");
    BOOST_TEST(!fs::exists(copy / "refused"));

    // Missing source images: named, exit 4, nothing written.
    const auto accepted = std::to_string(d.accepted["id"].get<std::int64_t>());
    const auto folder = copy / "ws" / fs::relative(d.series_folder, d.cli.workspace);
    fs::remove_all(folder);
    r = other.run({"export-finding", accepted, "--out", (copy / "refused").string()}, "radiologist", "radiologist");
    CHECK_EXIT(r, 4);
    CHECK_CONTAINS(r.err, "suggestion " + accepted);
    BOOST_TEST(!fs::exists(copy / "refused" / "sr.dcm"));

    // Not an image finding: a NEWS2 risk score the physician accepted (on a demo patient with vitals).
    std::string rid;
    for (const auto& p : d.json_as("physician", {"patients"})) {
        auto risk = d.cli.run({"--json", "plugins", "run", "org.consilium.news2", "--patient",
                               p["id"].is_string() ? p["id"].get<std::string>() : p["id"].dump()},
                              "physician", "physician");
        auto j = json::parse(risk.out, nullptr, false);
        if (risk.exit_code == 0 && j.is_object() && !j["suggestions"].empty()) {
            rid = std::to_string(j["suggestions"][0].get<std::int64_t>());
            break;
        }
    }
    BOOST_REQUIRE_MESSAGE(!rid.empty(), "NEWS2 scored no demo patient");
    REQUIRE_EXIT(d.as("physician", {"review", rid, "accept"}), 0);
    r = d.as("physician", {"export-finding", rid, "--out", (d.dir / "refused").string()});
    CHECK_EXIT(r, 2);
    CHECK_CONTAINS(r.err, "suggestion " + rid);
    CHECK_CONTAINS(r.err, "not an image finding");

    // Developers test models; they never send patient data out.
    CHECK_EXIT(d.as("developer", {"export-finding", accepted, "--out", (d.dir / "refused").string()}), 3);
    BOOST_TEST(!fs::exists(d.dir / "refused"));
    CHECK_EXIT(d.as("radiologist", {"export-finding", "999999", "--out", (d.dir / "refused").string()}), 4);
    CHECK_EXIT(d.as("radiologist", {"export-finding", accepted}), 2);  // no --out
}

BOOST_AUTO_TEST_CASE(exports_are_audited) {
    auto& d = demo();
    const auto id = d.accepted["id"].get<std::int64_t>();
    exported("physician", id, d.dir / "audited");
    auto log = d.json_as("admin", {"audit", "log", "--action", "finding.export"});
    bool found = false;
    for (const auto& e : log)
        if (e["user"] == "physician" && e["object_id"] == std::to_string(id)) {
            found = true;
            const auto details = e["details"].is_string() ? json::parse(e["details"].get<std::string>()) : e["details"];
            BOOST_TEST(details.contains("sr_uid"));
            BOOST_TEST(details.contains("seg_uid"));
            BOOST_TEST(details["study_uid"] == d.study_uid);
        }
    BOOST_TEST(found, log.dump());
    CHECK_EXIT(d.cli.run({"audit", "verify"}), 0);
}

}  // namespace
