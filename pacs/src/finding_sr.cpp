// The finding as a TID 1500 Imaging Measurement Report (Comprehensive 3D SR, for SCOORD3D):
//
//   Imaging Measurement Report
//     language, observers (the reviewing clinician; the algorithm as a device), procedure reported
//     Image Library > Image Library Group > the source images the region spans
//     Imaging Measurements > Measurement Group (TID 1411)
//       tracking identifier and UID (shared with the SEG's segment), Finding = the concept,
//       Referenced Segment + Source series (with a SEG), Center (POINT) and Region in Space
//       (ELLIPSOID inside the plugin's box), Certainty of Finding (%), Algorithm Name/Version,
//       the review decision (99CONSILIUM codes), what the algorithm proposed when modified, a comment.
//
// The document is COMPLETE and VERIFIED by the reviewer at the time of the review.
#include "finding_internal.h"

#include "consilium/decision/suggestion.h"
#include "consilium/pacs/dicom_uid.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmsr/codes/dcm.h>
#include <dcmtk/dcmsr/dsrdoc.h>

#include <cstdio>
#include <initializer_list>
#include <stdexcept>

namespace consilium::pacs::detail {
namespace {

namespace fs = std::filesystem;
using decision::ReviewStatus;

void ok(const OFCondition& c, const std::string& what) {
    if (c.bad()) throw std::runtime_error("writing the SR: " + what + ": " + c.text());
}

DSRCodedEntryValue coded(const DicomCode& c) { return DSRCodedEntryValue(c.value.c_str(), c.scheme.c_str(), c.meaning.c_str()); }

DSRCodedEntryValue local(const char* value, const char* meaning) { return DSRCodedEntryValue(value, kLocalScheme, meaning); }

bool ascii_only(std::initializer_list<std::string> texts) {
    for (const auto& t : texts)
        for (unsigned char c : t)
            if (c >= 0x80) return false;
    return true;
}

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    return buf;
}

// The text of one content item below the cursor, then back to the same level.
class TreeWriter {
public:
    explicit TreeWriter(DSRDocumentTree& tree) : tree_(tree) {}

    // The first child of the current item; the next ones are added after it with add().
    void child(DSRTypes::E_RelationshipType rel, DSRTypes::E_ValueType type, const DSRCodedEntryValue& concept_name) {
        ok(tree_.addChildContentItem(rel, type, concept_name), "adding " + std::string(concept_name.getCodeMeaning().c_str()));
    }
    void add(DSRTypes::E_RelationshipType rel, DSRTypes::E_ValueType type, const DSRCodedEntryValue& concept_name) {
        ok(tree_.addContentItem(rel, type, concept_name), "adding " + std::string(concept_name.getCodeMeaning().c_str()));
    }
    void up() { tree_.goUp(); }
    DSRContentItem& item() { return tree_.getCurrentContentItem(); }

    void text(const std::string& value) { ok(item().setStringValue(value.c_str()), "a text value"); }
    void code(const DSRCodedEntryValue& value) { ok(item().setCodeValue(value), "a coded value"); }

private:
    DSRDocumentTree& tree_;
};

std::string decision_words(const decision::Suggestion& s) {
    std::string out = std::string(s.status == ReviewStatus::modified ? "Modified" : "Accepted") + " by " +
                      s.reviewed_by.value_or("?") + " at " + s.reviewed_at.value_or("?");
    if (s.reason_code) out += "; reason code " + std::string(to_string(*s.reason_code));
    if (s.reason_text && !s.reason_text->empty()) out += "; reason: " + *s.reason_text;
    if (s.note && !s.note->empty()) out += "; note: " + *s.note;
    out += ". Proposed by " + s.plugin_id + " " + s.plugin_version + ": " + s.summary;
    return out;
}

// SNOMED CT concepts of the reader's measurements (checked: identifiers with valid check digits).
const DSRCodedEntryValue kLength("410668003", "SCT", "Length");
const DSRCodedEntryValue kArea("42798000", "SCT", "Area");
const DSRCodedEntryValue kMean("373098007", "SCT", "Mean");
const DSRCodedEntryValue kStandardDeviation("386136009", "SCT", "Standard deviation");

DSRNumericMeasurementValue measured(double value, const char* ucum, const char* meaning) {
    return DSRNumericMeasurementValue(number(value).c_str(), DSRCodedEntryValue(ucum, "UCUM", meaning));
}

// One measurement group per distance or region the reviewer drew on the series (the cursor is on
// a measurement group; it ends on the last one written). The points are where it was drawn (LPS).
void write_reader_measurements(TreeWriter& w, const std::vector<decision::Measurement>& list, const SourceSeries& series) {
    for (const auto& m : list) {
        w.add(DSRTypes::RT_contains, DSRTypes::VT_Container, CODE_DCM_MeasurementGroup);
        w.child(DSRTypes::RT_hasObsContext, DSRTypes::VT_Text, CODE_DCM_TrackingIdentifier);
        w.text("Measurement " + std::to_string(m.id) + " by " + m.user_name + " at " + m.created_at);
        w.add(DSRTypes::RT_hasObsContext, DSRTypes::VT_UIDRef, CODE_DCM_TrackingUniqueIdentifier);
        w.text(new_dicom_uid());
        const bool distance = m.kind == decision::MeasurementKind::distance;
        const auto& a = m.from_lps;
        const auto& b = m.to_lps;
        if (!distance) {
            // A rectangle in the plane it was drawn in: its corners are said in words (its other two
            // corners depend on that plane, which is not kept).
            char corners[160];
            std::snprintf(corners, sizeof corners, "Rectangle from (%.1f, %.1f, %.1f) to (%.1f, %.1f, %.1f) mm, LPS", a[0], a[1],
                          a[2], b[0], b[1], b[2]);
            w.add(DSRTypes::RT_contains, DSRTypes::VT_Text, CODE_DCM_Comment);
            w.text(corners);
        } else {
            // The measured line itself.
            w.add(DSRTypes::RT_contains, DSRTypes::VT_SCoord3D, CODE_DCM_RegionInSpace);
            DSRSpatialCoordinates3DValue shape(DSRTypes::GT3_Polyline);
            auto& points = shape.getGraphicDataList();
            points.addItem(static_cast<Float32>(a[0]), static_cast<Float32>(a[1]), static_cast<Float32>(a[2]));
            points.addItem(static_cast<Float32>(b[0]), static_cast<Float32>(b[1]), static_cast<Float32>(b[2]));
            ok(shape.setFrameOfReferenceUID(series.frame_of_reference_uid.c_str()), "frame of reference");
            ok(w.item().setSpatialCoordinates3D(shape), "distance");
        }
        if (distance && m.length_mm) {
            w.add(DSRTypes::RT_contains, DSRTypes::VT_Num, kLength);
            ok(w.item().setNumericValue(measured(*m.length_mm, "mm", "millimeter")), "length");
        }
        if (!distance && m.area_mm2) {
            w.add(DSRTypes::RT_contains, DSRTypes::VT_Num, kArea);
            ok(w.item().setNumericValue(measured(*m.area_mm2, "mm2", "square millimeter")), "area");
        }
        const bool hounsfield = m.unit == "HU";
        if (m.mean) {
            w.add(DSRTypes::RT_contains, DSRTypes::VT_Num, kMean);
            ok(w.item().setNumericValue(measured(*m.mean, hounsfield ? "[hnsf'U]" : "1", hounsfield ? "Hounsfield unit" : "no units")),
               "mean");
        }
        if (m.sd) {
            w.add(DSRTypes::RT_contains, DSRTypes::VT_Num, kStandardDeviation);
            ok(w.item().setNumericValue(measured(*m.sd, hounsfield ? "[hnsf'U]" : "1", hounsfield ? "Hounsfield unit" : "no units")),
               "standard deviation");
        }
        w.up();
    }
}

}  // namespace

void write_finding_sr(const SrInput& in, const fs::path& file) {
    const auto& req = *in.request;
    const auto& s = req.suggestion;
    const auto& series = *in.series;
    const bool modified = s.status == ReviewStatus::modified && s.modified_concept;
    const auto concept_now = dicom_code(modified ? *s.modified_concept : s.coding);

    DSRDocument doc(DSRTypes::DT_Comprehensive3DSR);
    {
        // Patient and study exactly as the source images have them, so the PACS files it there.
        DcmFileFormat source;
        ok(source.loadFile(series.images.front().file.c_str(), EXS_Unknown, EGL_noChange, 4096), "reading the source image");
        ok(doc.readStudyData(*source.getDataset()), "copying patient and study");
        // One character set for the whole document: the source's text decoded, and what the
        // clinician or plugin wrote, all in UTF-8 (a Latin-1 source and a Greek reason can meet here).
        const bool unicode = !ascii_only({s.reviewed_by.value_or(""), s.reason_text.value_or(""), s.note.value_or(""),
                                          s.summary, req.algorithm_name, concept_now.meaning, s.coding.display,
                                          series.patient_name, series.referring_physician, series.study_id,
                                          series.accession, series.study_description, series.patient_id});
        OFString charset;
        source.getDataset()->findAndGetOFString(DCM_SpecificCharacterSet, charset);
        if (unicode || !charset.empty()) {
            doc.setSpecificCharacterSetType(DSRTypes::CS_UTF8);
            ok(doc.setPatientName(series.patient_name.c_str(), OFFalse), "patient name");
            ok(doc.setPatientID(series.patient_id.c_str(), OFFalse), "patient ID");
            ok(doc.setReferringPhysicianName(series.referring_physician.c_str(), OFFalse), "referring physician");
            ok(doc.setStudyID(series.study_id.c_str(), OFFalse), "study ID");
            ok(doc.setAccessionNumber(series.accession.c_str(), OFFalse), "accession number");
            ok(doc.setStudyDescription(series.study_description.c_str(), OFFalse), "study description");
        }
    }
    doc.createNewSeries();
    ok(doc.setSeriesDescription("AI finding, clinician-reviewed"), "series description");
    ok(doc.setSeriesNumber("9901"), "series number");
    ok(doc.setInstanceNumber("1"), "instance number");
    ok(doc.setManufacturer("Consilium"), "manufacturer");
    ok(doc.setManufacturerModelName("Consilium workstation"), "model name");

    auto& tree = doc.getTree();
    TreeWriter w(tree);
    if (tree.addContentItem(DSRTypes::RT_isRoot, DSRTypes::VT_Container) == 0) throw std::runtime_error("writing the SR: no root");
    ok(w.item().setConceptName(CODE_DCM_ImagingMeasurementReport), "document title");
    ok(w.item().setTemplateIdentification("1500", "DCMR"), "template");

    w.child(DSRTypes::RT_hasConceptMod, DSRTypes::VT_Code, CODE_DCM_LanguageOfContentItemAndDescendants);
    w.code(DSRCodedEntryValue("en-US", "RFC5646", "English (United States)"));
    // TID 1002: the clinician who decided, then the algorithm that proposed.
    w.add(DSRTypes::RT_hasObsContext, DSRTypes::VT_Code, CODE_DCM_ObserverType);
    w.code(CODE_DCM_Person);
    w.add(DSRTypes::RT_hasObsContext, DSRTypes::VT_PName, CODE_DCM_PersonObserverName);
    w.text(s.reviewed_by.value_or(""));
    w.add(DSRTypes::RT_hasObsContext, DSRTypes::VT_Code, CODE_DCM_ObserverType);
    w.code(CODE_DCM_Device);
    w.add(DSRTypes::RT_hasObsContext, DSRTypes::VT_UIDRef, CODE_DCM_DeviceObserverUID);
    w.text(dicom_uid_for_name("consilium-plugin:" + s.plugin_id + ":" + s.plugin_version));
    w.add(DSRTypes::RT_hasObsContext, DSRTypes::VT_Text, CODE_DCM_DeviceObserverName);
    w.text(s.plugin_id);
    w.add(DSRTypes::RT_hasObsContext, DSRTypes::VT_Text, CODE_DCM_DeviceObserverModelName);
    w.text(req.algorithm_name);
    w.add(DSRTypes::RT_hasConceptMod, DSRTypes::VT_Code, CODE_DCM_ProcedureReported);
    w.code(DSRCodedEntryValue("363679005", "SCT", "Imaging procedure"));

    // TID 1600: the images the region lies on.
    w.add(DSRTypes::RT_contains, DSRTypes::VT_Container, CODE_DCM_ImageLibrary);
    w.child(DSRTypes::RT_contains, DSRTypes::VT_Container, CODE_DCM_ImageLibraryGroup);
    bool first = true;
    for (const auto* image : in.images) {
        const auto mode = first ? DSRTypes::AM_belowCurrent : DSRTypes::AM_afterCurrent;
        if (tree.addContentItem(DSRTypes::RT_contains, DSRTypes::VT_Image, mode) == 0)
            throw std::runtime_error("writing the SR: adding an image to the library");
        first = false;
        ok(w.item().setImageReference(DSRImageReferenceValue(image->sop_class_uid.c_str(), image->sop_instance_uid.c_str())),
           "image reference");
        ok(doc.getCurrentRequestedProcedureEvidence().addItem(series.study_uid.c_str(), series.series_uid.c_str(),
                                                              image->sop_class_uid.c_str(), image->sop_instance_uid.c_str()),
           "evidence");
    }
    if (!first) w.up();
    w.up();

    w.add(DSRTypes::RT_contains, DSRTypes::VT_Container, CODE_DCM_ImagingMeasurements);
    w.child(DSRTypes::RT_contains, DSRTypes::VT_Container, CODE_DCM_MeasurementGroup);
    ok(w.item().setTemplateIdentification("1411", "DCMR"), "template");
    w.child(DSRTypes::RT_hasObsContext, DSRTypes::VT_Text, CODE_DCM_TrackingIdentifier);
    w.text("Consilium suggestion " + std::to_string(s.id));
    w.add(DSRTypes::RT_hasObsContext, DSRTypes::VT_UIDRef, CODE_DCM_TrackingUniqueIdentifier);
    w.text(in.tracking_uid);
    w.add(DSRTypes::RT_contains, DSRTypes::VT_Code, CODE_DCM_Finding);
    w.code(coded(concept_now));
    if (in.seg) {
        w.add(DSRTypes::RT_contains, DSRTypes::VT_Image, CODE_DCM_ReferencedSegment);
        DSRImageReferenceValue segment(in.seg->sop_class_uid.c_str(), in.seg->sop_instance_uid.c_str());
        segment.getSegmentList().addItem(1);
        ok(w.item().setImageReference(segment), "referenced segment");
        ok(doc.getCurrentRequestedProcedureEvidence().addItem(series.study_uid.c_str(), in.seg->series_uid.c_str(),
                                                              in.seg->sop_class_uid.c_str(), in.seg->sop_instance_uid.c_str()),
           "evidence");
        w.add(DSRTypes::RT_contains, DSRTypes::VT_UIDRef, CODE_DCM_SourceSeriesForSegmentation);
        w.text(series.series_uid);
    }
    // The region: its centre, and the ellipsoid inscribed in the plugin's box (axes along L, P, S).
    const auto& c = in.region.center_lps;
    const auto& size = in.region.size_mm;
    w.add(DSRTypes::RT_contains, DSRTypes::VT_SCoord3D, CODE_DCM_Center);
    {
        DSRSpatialCoordinates3DValue point(DSRTypes::GT3_Point);
        point.getGraphicDataList().addItem(static_cast<Float32>(c[0]), static_cast<Float32>(c[1]), static_cast<Float32>(c[2]));
        ok(point.setFrameOfReferenceUID(series.frame_of_reference_uid.c_str()), "frame of reference");
        ok(w.item().setSpatialCoordinates3D(point), "centre");
    }
    w.add(DSRTypes::RT_contains, DSRTypes::VT_SCoord3D, CODE_DCM_RegionInSpace);
    {
        DSRSpatialCoordinates3DValue ellipsoid(DSRTypes::GT3_Ellipsoid);
        auto& points = ellipsoid.getGraphicDataList();
        for (int axis = 0; axis < 3; ++axis)
            for (double sign : {-1.0, 1.0}) {
                auto p = c;
                p[static_cast<std::size_t>(axis)] += sign * size[static_cast<std::size_t>(axis)] / 2;
                points.addItem(static_cast<Float32>(p[0]), static_cast<Float32>(p[1]), static_cast<Float32>(p[2]));
            }
        ok(ellipsoid.setFrameOfReferenceUID(series.frame_of_reference_uid.c_str()), "frame of reference");
        ok(w.item().setSpatialCoordinates3D(ellipsoid), "region");
    }
    if (s.confidence) {
        w.add(DSRTypes::RT_contains, DSRTypes::VT_Num, CODE_DCM_CertaintyOfFinding);
        ok(w.item().setNumericValue(DSRNumericMeasurementValue(number(*s.confidence * 100).c_str(), DSRCodedEntryValue("%", "UCUM", "percent"))),
           "confidence");
    }
    w.add(DSRTypes::RT_contains, DSRTypes::VT_Text, CODE_DCM_AlgorithmName);
    w.text(req.algorithm_name);
    w.add(DSRTypes::RT_contains, DSRTypes::VT_Text, CODE_DCM_AlgorithmVersion);
    w.text(s.plugin_version + (s.model_version ? " (model " + *s.model_version + ")" : std::string()));
    // The review: what was decided, by whom (the person observer) and when (observation time).
    w.add(DSRTypes::RT_contains, DSRTypes::VT_Code, local("review-decision", "Clinician's review decision"));
    w.code(modified ? local("modified", "Modified by clinician") : local("accepted", "Accepted by clinician"));
    const auto reviewed = dicom_datetime(s.reviewed_at.value_or(""));
    if (!reviewed.empty()) ok(w.item().setObservationDateTime(reviewed.c_str()), "review time");
    if (modified) {
        w.add(DSRTypes::RT_contains, DSRTypes::VT_Code, local("proposed-finding", "Finding proposed by the algorithm"));
        w.code(coded(dicom_code(s.coding)));
    }
    w.add(DSRTypes::RT_contains, DSRTypes::VT_Text, CODE_DCM_Comment);
    w.text(decision_words(s));
    w.up();  // back to the finding's measurement group
    write_reader_measurements(w, req.measurements, series);

    auto& schemes = doc.getCodingSchemeIdentification();
    ok(schemes.addItem(kLocalScheme), "coding scheme");
    ok(schemes.setCodingSchemeName("Consilium review and local concepts"), "coding scheme name");
    ok(schemes.setCodingSchemeResponsibleOrganization("Consilium"), "coding scheme organization");

    ok(doc.completeDocument(), "completing");
    ok(doc.verifyDocument(s.reviewed_by.value_or("").c_str(), req.institution.c_str(), reviewed.c_str()), "verifying");

    DcmFileFormat out;
    ok(doc.write(*out.getDataset()), "encoding");
    // Our own UIDs (2.25 scheme) rather than the toolkit's.
    ok(out.getDataset()->putAndInsertString(DCM_SeriesInstanceUID, in.series_uid.c_str()), "series UID");
    ok(out.getDataset()->putAndInsertString(DCM_SOPInstanceUID, in.sop_instance_uid.c_str()), "instance UID");
    ok(out.saveFile(file.c_str(), EXS_LittleEndianExplicit), "saving " + file.string());
}

}  // namespace consilium::pacs::detail
