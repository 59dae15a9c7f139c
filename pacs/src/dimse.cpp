// DIMSE over DCMTK's DcmSCU: C-ECHO, C-FIND (study, series), C-GET (no listening port), C-STORE.
#include "internal.h"

#include "consilium/decision/errors.h"
#include "consilium/text/dicom_text.h"
#include "consilium/text/utf8.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmnet/diutil.h>
#include <dcmtk/dcmnet/dul.h>
#include <dcmtk/dcmnet/scu.h>
#include <dcmtk/oflog/oflog.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>

namespace consilium::pacs::detail {
namespace {

namespace fs = std::filesystem;

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] {
        // Nagle's algorithm with delayed ACKs stalls every DIMSE message by ~40 ms: DCMTK disables it
        // only when TCP_NODELAY=1 is in the environment (read when the socket is made).
        ::setenv("TCP_NODELAY", "1", 0);
        // No reverse DNS look-up of the peer (slow or hanging where DNS is not set up).
        dcmDisableGethostbyaddr.set(OFTrue);
        // DCMTK logs through oflog; its warnings would interleave with our output.
        OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
    });
}

OFList<OFString> transfer_syntaxes() {
    OFList<OFString> ts;
    ts.push_back(UID_LittleEndianExplicitTransferSyntax);
    ts.push_back(UID_BigEndianExplicitTransferSyntax);
    ts.push_back(UID_LittleEndianImplicitTransferSyntax);
    return ts;
}

// Storage SOP classes we accept as C-GET sub-operations, with the common compressed syntaxes too.
OFList<OFString> storage_transfer_syntaxes() {
    auto ts = transfer_syntaxes();
    for (const char* uid : {UID_JPEGProcess14SV1TransferSyntax, UID_JPEGLSLosslessTransferSyntax,
                            UID_JPEG2000LosslessOnlyTransferSyntax, UID_RLELosslessTransferSyntax,
                            UID_DeflatedExplicitVRLittleEndianTransferSyntax, UID_JPEGProcess1TransferSyntax,
                            UID_JPEG2000TransferSyntax, UID_JPEGProcess2_4TransferSyntax})
        ts.push_back(uid);
    return ts;
}

class Scu final : public DcmSCU {
public:
    fs::path folder;
    const RetrieveOptions* options = nullptr;
    RetrieveResult* result = nullptr;
    RetrieveProgress progress;
    std::exception_ptr error;
    int serial = 0;

protected:
    OFCondition handleSTORERequest(const T_ASC_PresentationContextID, DcmDataset* incoming, OFBool& continue_session,
                                   Uint16& status) override {
        std::unique_ptr<DcmDataset> dataset(incoming);  // ours to delete
        done_bytes_ += message_bytes_;
        message_bytes_ = 0;
        progress.bytes = done_bytes_;
        continue_session = OFTrue;
        status = STATUS_Success;
        try {
            if (options && options->cancel && options->cancel->load())
                throw PacsError(PacsError::Kind::cancelled, "retrieve cancelled");
            if (!dataset) throw PacsError(PacsError::Kind::protocol, "the node sent an empty C-STORE");
            OFString sop, series;
            dataset->findAndGetOFString(DCM_SOPInstanceUID, sop);
            dataset->findAndGetOFString(DCM_SeriesInstanceUID, series);
            if (options && options->have && options->have(series.c_str(), sop.c_str())) {
                ++result->skipped;
            } else {
                ++serial;
                auto temp = fs::path(folder / ("incoming-dimse-" + std::to_string(::getpid()) + "-" + std::to_string(serial) + ".part"));
                DcmFileFormat ff(dataset.get());
                OFCondition c = ff.saveFile(temp.c_str(), dataset->getOriginalXfer() == EXS_Unknown
                                                              ? EXS_LittleEndianExplicit
                                                              : dataset->getOriginalXfer());
                if (c.bad()) {
                    std::error_code ec;
                    fs::remove(temp, ec);
                    throw PacsError(PacsError::Kind::protocol, "cannot write the received instance: " + std::string(c.text()));
                }
                // Checked and renamed as DICOMweb parts are.
                std::error_code ec;
                auto instance = check_instance_file(temp);
                auto target = folder / (safe_file_name(instance.sop_instance_uid, "instance-" + std::to_string(serial)) + ".dcm");
                fs::rename(temp, target, ec);
                if (ec) throw PacsError(PacsError::Kind::protocol, "cannot place " + target.string() + ": " + ec.message());
                instance.file = target;
                result->stored.push_back(std::move(instance));
            }
            ++progress.instances_done;
            if (options && options->progress) options->progress(progress);
        } catch (...) {
            if (!error) error = std::current_exception();
            continue_session = OFFalse;
            status = STATUS_STORE_Refused_OutOfResources;
        }
        return EC_Normal;
    }

    // `bytes` counts the message being received so far.
    void notifyRECEIVEProgress(const unsigned long bytes) override {
        message_bytes_ = static_cast<std::int64_t>(bytes);
        progress.bytes = done_bytes_ + message_bytes_;
    }

private:
    std::int64_t done_bytes_ = 0, message_bytes_ = 0;
};

class DimseClient final : public Client {
public:
    DimseClient(decision::PacsNode node, ClientSettings settings) : node_(std::move(node)), settings_(settings) {
        global_init();
    }

    void echo() override {
        Scu scu;
        setup(scu);
        scu.addPresentationContext(UID_VerificationSOPClass, transfer_syntaxes());
        open(scu);
        OFCondition c = scu.sendECHORequest(0);
        scu.releaseAssociation();
        if (c.bad()) fail(c, "C-ECHO");
    }

    std::vector<StudyMatch> find_studies(const StudyQuery& q) override {
        DcmDataset keys;
        keys.putAndInsertString(DCM_QueryRetrieveLevel, "STUDY");
        keys.putAndInsertString(DCM_StudyInstanceUID, "");
        keys.putAndInsertString(DCM_PatientID, q.patient_id.c_str());
        keys.putAndInsertString(DCM_PatientName, q.patient_name.c_str());
        // Keys are typed in UTF-8; say so when they hold more than ASCII, so the PACS can match them.
        if (!text::is_ascii(q.patient_name) || !text::is_ascii(q.patient_id))
            keys.putAndInsertString(DCM_SpecificCharacterSet, "ISO_IR 192");
        std::string range = q.date_from.empty() && q.date_to.empty() ? "" : q.date_from + "-" + q.date_to;
        keys.putAndInsertString(DCM_StudyDate, range.c_str());
        keys.putAndInsertString(DCM_ModalitiesInStudy, q.modality.c_str());
        keys.putAndInsertString(DCM_StudyDescription, "");
        keys.putAndInsertString(DCM_AccessionNumber, "");
        keys.putAndInsertString(DCM_NumberOfStudyRelatedSeries, "");
        keys.putAndInsertString(DCM_NumberOfStudyRelatedInstances, "");
        std::vector<StudyMatch> out;
        for (auto* d : find(keys)) {
            StudyMatch m;
            // Each response is in the character set it declares (0008,0005).
            text::DicomTextDecoder decoder(*d, "C-FIND response from " + node_.name);
            m.study_uid = get(d, DCM_StudyInstanceUID);
            m.patient_id = decoder.text(*d, DCM_PatientID);
            m.patient_name = decoder.text(*d, DCM_PatientName);
            m.date = get(d, DCM_StudyDate);
            m.description = decoder.text(*d, DCM_StudyDescription);
            m.accession = decoder.text(*d, DCM_AccessionNumber);
            OFString mod;
            for (unsigned long i = 0; d->findAndGetOFString(DCM_ModalitiesInStudy, mod, i).good(); ++i)
                if (!mod.empty()) m.modalities.push_back(mod.c_str());
            m.series = number(d, DCM_NumberOfStudyRelatedSeries);
            m.instances = number(d, DCM_NumberOfStudyRelatedInstances);
            if (!m.study_uid.empty() && (q.limit <= 0 || static_cast<int>(out.size()) < q.limit)) out.push_back(std::move(m));
        }
        return out;
    }

    std::vector<SeriesMatch> find_series(const std::string& study_uid) override {
        DcmDataset keys;
        keys.putAndInsertString(DCM_QueryRetrieveLevel, "SERIES");
        keys.putAndInsertString(DCM_StudyInstanceUID, study_uid.c_str());
        keys.putAndInsertString(DCM_SeriesInstanceUID, "");
        keys.putAndInsertString(DCM_Modality, "");
        keys.putAndInsertString(DCM_SeriesDescription, "");
        keys.putAndInsertString(DCM_SeriesNumber, "");
        keys.putAndInsertString(DCM_NumberOfSeriesRelatedInstances, "");
        std::vector<SeriesMatch> out;
        for (auto* d : find(keys)) {
            text::DicomTextDecoder decoder(*d, "C-FIND response from " + node_.name);
            SeriesMatch m{get(d, DCM_SeriesInstanceUID), get(d, DCM_Modality), decoder.text(*d, DCM_SeriesDescription),
                          number(d, DCM_SeriesNumber), number(d, DCM_NumberOfSeriesRelatedInstances)};
            if (!m.series_uid.empty()) out.push_back(std::move(m));
        }
        return out;
    }

    // Resumable per instance, as the DICOMweb client is: when the caller holds some instances
    // (RetrieveOptions::have), the series' instances are listed (C-FIND, IMAGE level) and only the
    // missing ones are asked for, one C-GET each; held ones never cross the wire again.
    RetrieveResult retrieve(const std::string& study_uid, const std::string& series_uid, const fs::path& folder,
                            const RetrieveOptions& options) override {
        auto series = find_series(study_uid);
        if (!series_uid.empty())
            series.erase(std::remove_if(series.begin(), series.end(), [&](const auto& s) { return s.series_uid != series_uid; }),
                         series.end());
        if (series.empty())
            throw decision::NotFound("the PACS node '" + node_.name + "' has no " +
                                     (series_uid.empty() ? "study " + study_uid : "series " + series_uid));
        fs::create_directories(folder);
        RetrieveResult result;
        Scu scu;
        scu.folder = folder;
        scu.options = &options;
        scu.result = &result;
        scu.progress.instances_expected = 0;
        for (const auto& s : series) scu.progress.instances_expected += std::max(0, s.instances);
        auto report = [&] {
            if (options.progress) options.progress(scu.progress);
        };
        auto check_cancel = [&] {
            if (options.cancel && options.cancel->load()) throw PacsError(PacsError::Kind::cancelled, "retrieve cancelled");
        };

        struct Fetch {
            std::string series_uid;
            std::vector<std::string> instances;  // empty: the whole series in one C-GET
        };
        std::vector<Fetch> plan;
        for (const auto& s : series) {
            Fetch f{s.series_uid, {}};
            if (options.have) {
                check_cancel();
                auto all = find_instances(study_uid, s.series_uid);
                for (const auto& sop : all)
                    if (!options.have(s.series_uid, sop)) f.instances.push_back(sop);
                const int held = static_cast<int>(all.size() - f.instances.size());
                result.skipped += held;
                scu.progress.instances_done += held;
                if (f.instances.empty() && !all.empty()) {
                    report();
                    continue;
                }
                if (f.instances.size() == all.size()) f.instances.clear();
            }
            plan.push_back(std::move(f));
        }
        if (plan.empty()) return result;

        setup(scu);
        scu.addPresentationContext(UID_GETStudyRootQueryRetrieveInformationModel, transfer_syntaxes());
        // At most 128 presentation contexts in all: the C-GET one plus the storage classes a PACS sends.
        const auto storage_ts = storage_transfer_syntaxes();
        for (int i = 0; i < numberOfDcmLongSCUStorageSOPClassUIDs && i < 120; ++i)
            scu.addPresentationContext(dcmLongSCUStorageSOPClassUIDs[i], storage_ts, ASC_SC_ROLE_SCP);
        open(scu);
        auto id = scu.findPresentationContextID(UID_GETStudyRootQueryRetrieveInformationModel, "");
        if (id == 0) {
            scu.abortAssociation();
            throw PacsError(PacsError::Kind::protocol, where() + "does not accept C-GET (study root)");
        }
        try {
            for (const auto& f : plan) {
                if (f.instances.empty()) {
                    check_cancel();
                    cget(scu, id, study_uid, f.series_uid, "");
                }
                for (const auto& sop : f.instances) {
                    check_cancel();
                    cget(scu, id, study_uid, f.series_uid, sop);
                }
            }
        } catch (...) {
            scu.abortAssociation();
            throw;
        }
        scu.releaseAssociation();
        result.bytes = scu.progress.bytes;
        return result;
    }

    StoreResult store(const std::vector<fs::path>& files) override {
        StoreResult result;
        Scu scu;
        setup(scu);
        std::set<std::pair<std::string, std::string>> contexts;  // SOP class, transfer syntax
        std::vector<std::pair<fs::path, std::string>> sendable;     // file, SOP class
        for (const auto& f : files) {
            DcmFileFormat ff;
            if (ff.loadFile(f.c_str(), EXS_Unknown, EGL_noChange, 256).bad()) {
                result.failures.push_back(f.string() + ": not a readable DICOM file");
                continue;
            }
            OFString sop_class, ts;
            ff.getMetaInfo()->findAndGetOFString(DCM_MediaStorageSOPClassUID, sop_class);
            ff.getMetaInfo()->findAndGetOFString(DCM_TransferSyntaxUID, ts);
            if (sop_class.empty()) ff.getDataset()->findAndGetOFString(DCM_SOPClassUID, sop_class);
            if (sop_class.empty()) {
                result.failures.push_back(f.string() + ": no SOP Class UID");
                continue;
            }
            if (ts.empty()) ts = UID_LittleEndianExplicitTransferSyntax;
            contexts.insert({sop_class.c_str(), ts.c_str()});
            sendable.emplace_back(f, sop_class.c_str());
        }
        if (sendable.empty()) return result;
        if (contexts.size() > 127) throw PacsError(PacsError::Kind::protocol, "too many kinds of object for one association");
        for (const auto& [sop_class, ts] : contexts) {
            OFList<OFString> list;
            list.push_back(ts.c_str());
            if (ts != UID_LittleEndianImplicitTransferSyntax) list.push_back(UID_LittleEndianImplicitTransferSyntax);
            scu.addPresentationContext(sop_class.c_str(), list);
        }
        open(scu);
        for (const auto& [file, sop_class] : sendable) {
            Uint16 status = 0;
            OFCondition c = scu.sendSTORERequest(0, file.c_str(), nullptr, status);
            if (c.bad()) {
                if (c == DIMSE_NOVALIDPRESENTATIONCONTEXTID) {
                    result.failures.push_back(file.string() + ": the node does not accept this kind of object");
                    continue;
                }
                scu.abortAssociation();
                fail(c, "C-STORE of " + file.string());
            }
            if (status == STATUS_Success || (status & 0xf000) == 0xb000) ++result.sent;
            else result.failures.push_back(file.string() + ": refused (status 0x" + hex(status) + ")");
        }
        scu.releaseAssociation();
        return result;
    }

private:
    std::string where() const {
        return "PACS node '" + node_.name + "' (" + node_.called_aet + "@" + node_.host + ":" + std::to_string(node_.port) + "): ";
    }

    static std::string hex(Uint16 v) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "%04x", static_cast<unsigned>(v));
        return buf;
    }

    void setup(Scu& scu) {
        scu.setAETitle(node_.calling_aet.c_str());
        scu.setPeerAETitle(node_.called_aet.c_str());
        scu.setPeerHostName(node_.host.c_str());
        scu.setPeerPort(static_cast<Uint16>(node_.port));
        scu.setMaxReceivePDULength(ASC_MAXIMUMPDUSIZE > 116794 ? 116794 : ASC_MAXIMUMPDUSIZE);
        scu.setConnectionTimeout(settings_.connect_timeout_s);
        scu.setACSETimeout(static_cast<Uint32>(settings_.connect_timeout_s));
        scu.setDIMSEBlockingMode(DIMSE_NONBLOCKING);
        scu.setDIMSETimeout(static_cast<Uint32>(settings_.stall_timeout_s));
        scu.setVerbosePCMode(OFFalse);
    }

    [[noreturn]] void fail(const OFCondition& c, const std::string& what) {
        std::string text = c.text();
        if (c == DUL_ASSOCIATIONREJECTED)
            throw PacsError(PacsError::Kind::auth, where() + "the association was rejected (is our AE title '" +
                                                       node_.calling_aet + "' known to the node?)");
        if ((c.module() == OFM_dcmnet && c.code() == DULC_TCPINITERROR) || c == DUL_NETWORKCLOSED || c == DIMSE_NODATAAVAILABLE ||
            text.find("Connection refused") != std::string::npos || text.find("timeout") != std::string::npos ||
            text.find("Timeout") != std::string::npos)
            throw PacsError(PacsError::Kind::unreachable, where() + (what == "connecting" ? "cannot connect (" + text + ")"
                                                                                           : what + " failed: " + text));
        throw PacsError(PacsError::Kind::protocol, where() + what + " failed: " + text);
    }

    void open(Scu& scu) {
        OFCondition c = scu.initNetwork();
        if (c.bad()) fail(c, "network set-up");
        c = scu.negotiateAssociation();
        if (c.bad()) {
            if (c == NET_EC_NoAcceptablePresentationContexts)
                throw PacsError(PacsError::Kind::protocol, where() + "accepts none of the services asked for");
            fail(c, "connecting");
        }
    }

    // One C-GET on the open association: a series, or one instance of it. Throws on any failure
    // (the caller aborts the association).
    void cget(Scu& scu, T_ASC_PresentationContextID id, const std::string& study_uid, const std::string& series_uid,
             const std::string& sop_uid) {
        DcmDataset keys;
        keys.putAndInsertString(DCM_QueryRetrieveLevel, sop_uid.empty() ? "SERIES" : "IMAGE");
        keys.putAndInsertString(DCM_StudyInstanceUID, study_uid.c_str());
        keys.putAndInsertString(DCM_SeriesInstanceUID, series_uid.c_str());
        if (!sop_uid.empty()) keys.putAndInsertString(DCM_SOPInstanceUID, sop_uid.c_str());
        const std::string what = sop_uid.empty() ? "series " + series_uid : "instance " + sop_uid;
        OFList<RetrieveResponse*> responses;
        OFCondition c = scu.sendCGETRequest(id, &keys, &responses);
        Uint16 status = 0;
        unsigned failed = 0;
        for (auto* r : responses) {
            status = r->m_status;
            failed = r->m_numberOfFailedSubops;
            delete r;
        }
        if (scu.error) std::rethrow_exception(scu.error);
        if (c.bad()) fail(c, "C-GET");
        if (status != STATUS_Success && status != STATUS_GET_Warning_SubOperationsCompleteOneOrMoreFailures)
            throw PacsError(PacsError::Kind::protocol,
                            where() + "C-GET of " + what + " failed (status 0x" + hex(status) + ")");
        if (failed > 0)
            throw PacsError(PacsError::Kind::protocol,
                            where() + "C-GET of " + what + ": " + std::to_string(failed) + " instance(s) not delivered");
    }

    // The SOP Instance UIDs of one series (C-FIND, IMAGE level).
    std::vector<std::string> find_instances(const std::string& study_uid, const std::string& series_uid) {
        DcmDataset keys;
        keys.putAndInsertString(DCM_QueryRetrieveLevel, "IMAGE");
        keys.putAndInsertString(DCM_StudyInstanceUID, study_uid.c_str());
        keys.putAndInsertString(DCM_SeriesInstanceUID, series_uid.c_str());
        keys.putAndInsertString(DCM_SOPInstanceUID, "");
        std::vector<std::string> out;
        for (auto* d : find(keys))
            if (auto sop = get(d, DCM_SOPInstanceUID); !sop.empty()) out.push_back(sop);
        return out;
    }

    std::vector<DcmDataset*> find(DcmDataset& keys) {
        Scu scu;
        setup(scu);
        scu.addPresentationContext(UID_FINDStudyRootQueryRetrieveInformationModel, transfer_syntaxes());
        open(scu);
        auto id = scu.findPresentationContextID(UID_FINDStudyRootQueryRetrieveInformationModel, "");
        responses_.clear();
        OFList<QRResponse*> responses;
        OFCondition c = scu.sendFINDRequest(id, &keys, &responses);
        std::vector<DcmDataset*> out;
        Uint16 status = 0;
        for (auto* r : responses) {
            status = r->m_status;
            if (r->m_dataset) {
                responses_.emplace_back(r->m_dataset);
                r->m_dataset = nullptr;
                out.push_back(responses_.back().get());
            }
            delete r;
        }
        if (c.bad()) {
            scu.abortAssociation();
            fail(c, "C-FIND");
        }
        scu.releaseAssociation();
        if (status != STATUS_Success && status != 0)
            throw PacsError(PacsError::Kind::protocol, where() + "C-FIND failed (status 0x" + hex(status) + ")");
        return out;
    }

    // ASCII attributes (UIDs, dates, numbers).
    static std::string get(DcmDataset* d, const DcmTagKey& tag) {
        OFString v;
        d->findAndGetOFStringArray(tag, v);
        return text::valid_utf8(v.c_str());
    }
    static int number(DcmDataset* d, const DcmTagKey& tag) {
        auto s = get(d, tag);
        try {
            return s.empty() ? -1 : std::stoi(s);
        } catch (const std::exception&) {
            return -1;
        }
    }

    decision::PacsNode node_;
    ClientSettings settings_;
    std::vector<std::unique_ptr<DcmDataset>> responses_;
};

}  // namespace

std::unique_ptr<Client> make_dimse_client(const decision::PacsNode& node, const ClientSettings& settings) {
    return std::make_unique<DimseClient>(node, settings);
}

}  // namespace consilium::pacs::detail
