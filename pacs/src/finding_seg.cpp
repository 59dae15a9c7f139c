// The finding's voxels as a binary DICOM Segmentation: one segment (the finding's concept, made
// automatically by the plugin, the reviewer as content creator), one frame per source slice the
// label touches, each frame at that slice's position and derived from that slice. Frame of
// reference, patient and study are the source series' own, so viewers overlay it without resampling.
#include "finding_internal.h"

#include "consilium/decision/suggestion.h"
#include "consilium/pacs/dicom_uid.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmfg/fgderimg.h>
#include <dcmtk/dcmfg/fgfracon.h>
#include <dcmtk/dcmfg/fgpixmsr.h>
#include <dcmtk/dcmfg/fgplanor.h>
#include <dcmtk/dcmfg/fgplanpo.h>
#include <dcmtk/dcmiod/iodreferences.h>
#include <dcmtk/dcmseg/segdoc.h>
#include <dcmtk/dcmseg/segment.h>

#include <unistd.h>

#include <memory>
#include <stdexcept>

namespace consilium::pacs::detail {
namespace {

namespace fs = std::filesystem;

void ok(const OFCondition& c, const std::string& what) {
    if (c.bad()) throw std::runtime_error("writing the SEG: " + what + ": " + c.text());
}

// LO values: at most 64 characters.
std::string lo(const std::string& s) { return s.size() > 64 ? s.substr(0, 61) + "..." : s; }

std::string host_name() {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0 || !buf[0]) return "unknown";
    return lo(buf);
}

// "a\b\c" -> {"a","b","c"}
std::vector<std::string> parts(const std::string& text) {
    std::vector<std::string> out(1);
    for (char ch : text) {
        if (ch == '\\') out.emplace_back();
        else out.back() += ch;
    }
    return out;
}

}  // namespace

int write_finding_seg(const SegInput& in, const fs::path& file) {
    const auto& req = *in.request;
    const auto& s = req.suggestion;
    const auto& series = *in.series;
    const auto& mask = *req.mask;
    const bool modified = s.status == decision::ReviewStatus::modified && s.modified_concept;
    const auto concept_now = dicom_code(modified ? *s.modified_concept : s.coding);

    IODGeneralEquipmentModule::EquipmentInfo equipment("Consilium", "Consilium workstation", host_name(),
                                                       lo("Consilium " + req.software_version));
    ContentIdentificationMacro content("1", "AI_FINDING", lo(s.summary), s.reviewed_by.value_or(""));
    DcmSegmentation* raw = nullptr;
    ok(DcmSegmentation::createBinarySegmentation(raw, static_cast<Uint16>(series.rows), static_cast<Uint16>(series.columns),
                                                 equipment, content),
       "creating");
    std::unique_ptr<DcmSegmentation> seg(raw);
    ok(seg->importFromSourceImage(series.images.front().file.c_str()), "copying patient, study and frame of reference");
    // Written in UTF-8 throughout: the copied text replaced by the source's, decoded.
    ok(seg->getSOPCommon().setSpecificCharacterSet("ISO_IR 192", OFFalse), "character set");
    ok(seg->getPatient().setPatientName(series.patient_name.c_str(), OFFalse), "patient name");
    ok(seg->getPatient().setPatientID(series.patient_id.c_str(), OFFalse), "patient ID");
    ok(seg->getStudy().setReferringPhysicianName(series.referring_physician.c_str(), OFFalse), "referring physician");
    ok(seg->getStudy().setStudyID(series.study_id.c_str(), OFFalse), "study ID");
    ok(seg->getStudy().setAccessionNumber(series.accession.c_str(), OFFalse), "accession number");
    ok(seg->getStudy().setStudyDescription(series.study_description.c_str(), OFFalse), "study description");
    ok(seg->getSeries().setSeriesInstanceUID(in.series_uid.c_str()), "series UID");
    ok(seg->getSOPCommon().setSOPInstanceUID(in.sop_instance_uid.c_str()), "instance UID");
    ok(seg->getSeries().setSeriesNumber("9902"), "series number");
    ok(seg->getSeries().setSeriesDescription(lo("AI finding mask, clinician-reviewed")), "series description");

    // The segment: the finding's concept as its type, within "morphologically abnormal structure".
    DcmSegment* segment = nullptr;
    ok(DcmSegment::create(segment, lo(s.summary), CodeSequenceMacro("49755003", "SCT", "Morphologically abnormal structure"),
                          CodeSequenceMacro(concept_now.value.c_str(), concept_now.scheme.c_str(), concept_now.meaning.c_str()),
                          DcmSegTypes::SAT_AUTOMATIC, lo(req.algorithm_name)),
       "segment");
    std::unique_ptr<DcmSegment> owned(segment);
    ok(segment->setTrackingID(lo("Consilium suggestion " + std::to_string(s.id))), "tracking id");
    ok(segment->setTrackingUID(in.tracking_uid.c_str()), "tracking UID");
    Uint16 segment_number = 0;
    ok(seg->addSegment(segment, segment_number), "adding the segment");
    owned.release();  // the segmentation owns it now

    // What every frame shares: pixel spacing and slice orientation of the source images.
    FGPixelMeasures measures;
    ok(measures.setPixelSpacing(series.pixel_spacing_text.c_str()), "pixel spacing");
    if (!series.slice_thickness_text.empty()) ok(measures.setSliceThickness(series.slice_thickness_text.c_str()), "slice thickness");
    ok(seg->addForAllFrames(measures), "pixel measures");
    const auto o = parts(series.orientation_text);
    if (o.size() != 6) throw std::runtime_error("writing the SEG: the source orientation is not six numbers");
    FGPlaneOrientationPatient orientation;
    ok(orientation.setImageOrientationPatient(o[0].c_str(), o[1].c_str(), o[2].c_str(), o[3].c_str(), o[4].c_str(), o[5].c_str()),
       "orientation");
    ok(seg->addForAllFrames(orientation), "orientation");

    // Frames are indexed by segment and position, as DICOM PS3.3 C.8.20.2.3 recommends for SEG.
    const std::string dimensions_uid = new_dicom_uid();
    auto& dims = seg->getDimensions();
    ok(dims.addDimensionIndex(DCM_ReferencedSegmentNumber, dimensions_uid.c_str(), DCM_SegmentIdentificationSequence,
                              "ReferencedSegmentNumber"),
       "dimension");
    ok(dims.addDimensionIndex(DCM_ImagePositionPatient, dimensions_uid.c_str(), DCM_PlanePositionSequence,
                              "ImagePositionPatient"),
       "dimension");

    const std::size_t columns = static_cast<std::size_t>(series.columns), rows = static_cast<std::size_t>(series.rows);
    const std::size_t plane = columns * rows;
    std::vector<Uint8> pixels(plane);
    IODReferences references;
    int frames = 0;
    for (std::size_t k = 0; k < in.slice_of_k.size(); ++k) {
        // The mask's slice k, rows of columns, as the source image's rows of columns (same grid).
        const auto* labels = mask.labels.data() + k * plane;
        bool any = false;
        for (std::size_t p = 0; p < plane; ++p) {
            pixels[p] = labels[p] == in.label ? 1 : 0;
            any = any || pixels[p];
        }
        if (!any) continue;
        const int n = in.slice_of_k[k];
        if (n < 0) throw std::runtime_error("writing the SEG: mask slice " + std::to_string(k) + " has no source image");
        const auto& image = series.images[static_cast<std::size_t>(n)];
        ++frames;

        FGPlanePosPatient position;
        const auto p = parts(image.position_text);
        ok(position.setImagePositionPatient(p.at(0).c_str(), p.at(1).c_str(), p.at(2).c_str()), "position");
        FGFrameContent frame_content;
        ok(frame_content.setDimensionIndexValues(segment_number, 0), "dimension index");
        ok(frame_content.setDimensionIndexValues(static_cast<Uint32>(frames), 1), "dimension index");
        ImageSOPInstanceReferenceMacro source_ref;
        ok(source_ref.setReferencedSOPClassUID(image.sop_class_uid.c_str()), "source reference");
        ok(source_ref.setReferencedSOPInstanceUID(image.sop_instance_uid.c_str()), "source reference");
        OFVector<ImageSOPInstanceReferenceMacro> sources;
        sources.push_back(source_ref);
        std::unique_ptr<FGDerivationImage> derivation(
            DcmSegmentation::createDerivationImageFG(sources, "Label of the plugin's mask, accepted by a clinician"));
        if (!derivation) throw std::runtime_error("writing the SEG: the derivation image group could not be made");
        OFVector<FGBase*> per_frame;
        per_frame.push_back(&position);
        per_frame.push_back(&frame_content);
        per_frame.push_back(derivation.get());
        ok(seg->addFrame(pixels.data(), segment_number, per_frame), "adding frame " + std::to_string(frames));
        references.add(new IODImageReference(series.patient_id.c_str(), series.study_uid.c_str(), series.series_uid.c_str(),
                                             image.sop_instance_uid.c_str(), image.sop_class_uid.c_str()));
    }
    if (frames == 0) throw std::runtime_error("writing the SEG: label " + std::to_string(in.label) + " is empty");
    seg->getCommonInstanceReference().addReferences(references, series.study_uid.c_str());
    ok(seg->saveFile(file.c_str(), EXS_LittleEndianExplicit), "saving " + file.string());
    return frames;
}

}  // namespace consilium::pacs::detail
