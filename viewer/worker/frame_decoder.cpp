#include "frame_decoder.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/oflog/oflog.h>

#include <gdcmImage.h>
#include <gdcmImageReader.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <mutex>
#include <vector>

namespace consilium::viewer::worker {
namespace {

struct Raw {
    const unsigned char* bytes = nullptr;  // host byte order
    std::size_t length = 0;                // bytes available
    int bits_allocated = 16, bits_stored = 16, pixel_representation = 0;
    bool is_float = false;                 // Float Pixel Data (32-bit IEEE)
};

void register_codecs() {
    static std::once_flag once;
    std::call_once(once, [] {
        OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
        DcmRLEDecoderRegistration::registerCodecs();
        DJDecoderRegistration::registerCodecs();
        DJLSDecoderRegistration::registerCodecs();
    });
}

// Stored value -> rescaled value, written as the volume's pixel type.
std::string convert(const Raw& raw, const FrameJob& job, bool as_float, void* out) {
    const std::size_t n = static_cast<std::size_t>(job.rows) * static_cast<std::size_t>(job.columns);
    if (raw.bits_allocated != 1 && raw.bits_allocated != 8 && raw.bits_allocated != 16 && raw.bits_allocated != 32)
        return "unsupported: " + std::to_string(raw.bits_allocated) + " bits allocated per pixel";
    const std::size_t frame_bits = n * static_cast<std::size_t>(raw.bits_allocated);
    const std::size_t first_bit = frame_bits * static_cast<std::size_t>(job.frame);
    if ((first_bit + frame_bits + 7) / 8 > raw.length)
        return "pixel data shorter than the header says (" + std::to_string(raw.length) + " bytes; frame " +
               std::to_string(job.frame) + " needs " + std::to_string((first_bit + frame_bits + 7) / 8) + "): truncated file?";
    const int stored = std::clamp(raw.bits_stored, 1, raw.bits_allocated);
    auto stored_value = [&](std::size_t i) -> double {
        if (raw.is_float) {
            float f;
            std::memcpy(&f, raw.bytes + (first_bit / 8) + 4 * i, 4);
            return f;
        }
        std::uint32_t v = 0;
        switch (raw.bits_allocated) {
            case 1: {
                std::size_t bit = first_bit + i;
                return (raw.bytes[bit / 8] >> (bit % 8)) & 1u;
            }
            case 8: v = raw.bytes[first_bit / 8 + i]; break;
            case 16: {
                std::uint16_t w;
                std::memcpy(&w, raw.bytes + first_bit / 8 + 2 * i, 2);
                v = w;
                break;
            }
            default: std::memcpy(&v, raw.bytes + first_bit / 8 + 4 * i, 4); break;
        }
        if (stored < 32) v &= (1u << stored) - 1u;
        if (raw.pixel_representation == 1 && stored < 32 && (v >> (stored - 1)) & 1u)
            return static_cast<double>(static_cast<std::int64_t>(v) - (std::int64_t{1} << stored));
        return raw.pixel_representation == 1 ? static_cast<double>(static_cast<std::int32_t>(v)) : static_cast<double>(v);
    };
    if (as_float) {
        float* f = static_cast<float*>(out);
        for (std::size_t i = 0; i < n; ++i) f[i] = static_cast<float>(stored_value(i) * job.slope + job.intercept);
    } else {
        std::int16_t* s = static_cast<std::int16_t*>(out);
        for (std::size_t i = 0; i < n; ++i) {
            double x = std::nearbyint(stored_value(i) * job.slope + job.intercept);
            s[i] = static_cast<std::int16_t>(std::clamp(x, -32768.0, 32767.0));
        }
    }
    return {};
}

bool is_jpeg2000(const std::string& ts) {
    return ts == "1.2.840.10008.1.2.4.90" || ts == "1.2.840.10008.1.2.4.91" || ts == "1.2.840.10008.1.2.4.201" ||
           ts == "1.2.840.10008.1.2.4.202" || ts == "1.2.840.10008.1.2.4.203";
}

std::string describe(E_TransferSyntax xfer) {
    DcmXfer x(xfer);
    return std::string(x.getXferName()) + " (" + x.getXferID() + ")";
}

std::string decode_with_gdcm(const FrameJob& job, bool as_float, void* out) {
    gdcm::ImageReader reader;
    reader.SetFileName(job.path.c_str());
    if (!reader.Read()) return "GDCM could not read the file";
    const gdcm::Image& image = reader.GetImage();
    std::vector<char> buffer(image.GetBufferLength());
    if (buffer.empty() || !image.GetBuffer(buffer.data())) return "GDCM could not decode the pixel data";
    const gdcm::PixelFormat& pf = image.GetPixelFormat();
    if (pf.GetSamplesPerPixel() != 1) return "unsupported: colour images are not grey-scale volumes";
    Raw raw;
    raw.bytes = reinterpret_cast<const unsigned char*>(buffer.data());
    raw.length = buffer.size();
    raw.bits_allocated = pf.GetBitsAllocated();
    raw.bits_stored = pf.GetBitsStored();
    raw.pixel_representation = pf.GetPixelRepresentation();
    return convert(raw, job, as_float, out);
}

}  // namespace

std::string decode_frame(const FrameJob& job, bool as_float, void* out) {
    register_codecs();
    DcmFileFormat ff;
    OFCondition status = ff.loadFile(job.path.c_str());
    if (status.bad()) return std::string("cannot read the file: ") + status.text();
    DcmDataset& ds = *ff.getDataset();
    const E_TransferSyntax original = ds.getOriginalXfer();
    const std::string ts = DcmXfer(original).getXferID();
    if (is_jpeg2000(ts)) return decode_with_gdcm(job, as_float, out);

    Uint16 samples = 1;
    ds.findAndGetUint16(DCM_SamplesPerPixel, samples);
    if (samples != 1) return "unsupported: colour images (" + std::to_string(samples) + " samples per pixel) are not grey-scale volumes";
    if (DcmXfer(original).isEncapsulated()) {
        // What DCMTK cannot decode, GDCM may; if GDCM aborts on it, only this worker goes down.
        if (ds.chooseRepresentation(EXS_LittleEndianExplicit, nullptr).bad() || !ds.canWriteXfer(EXS_LittleEndianExplicit)) {
            std::string problem = decode_with_gdcm(job, as_float, out);
            return problem.empty() ? problem : "unsupported: " + describe(original) + " (" + problem + ")";
        }
    }
    Raw raw;
    Uint16 ba = 16, bs = 16, pr = 0;
    ds.findAndGetUint16(DCM_BitsAllocated, ba);
    if (ds.findAndGetUint16(DCM_BitsStored, bs).bad()) bs = ba;
    ds.findAndGetUint16(DCM_PixelRepresentation, pr);
    raw.bits_allocated = ba;
    raw.bits_stored = bs;
    raw.pixel_representation = pr;
    DcmElement* pixels = nullptr;
    if (ds.findAndGetElement(DCM_PixelData, pixels).good() && pixels) {
        if (ba <= 8) {
            // 8- and 1-bit data may be stored as OB or as OW words; on a little-endian host both
            // read as consecutive bytes.
            Uint8* p = nullptr;
            Uint16* w = nullptr;
            if (pixels->getUint8Array(p).good() && p) raw.bytes = p;
            else if (pixels->getUint16Array(w).good() && w) raw.bytes = reinterpret_cast<const unsigned char*>(w);
            else return "the pixel data cannot be read";
        } else {
            // 16- and 32-bit values alike: DCMTK keeps OW data as host-order 16-bit words.
            Uint16* p = nullptr;
            if (pixels->getUint16Array(p).bad() || !p) return "the pixel data cannot be read";
            raw.bytes = reinterpret_cast<const unsigned char*>(p);
        }
        raw.length = pixels->getLength();
    } else if (ds.findAndGetElement(DCM_FloatPixelData, pixels).good() && pixels) {
        Float32* p = nullptr;
        if (pixels->getFloat32Array(p).bad() || !p) return "the float pixel data cannot be read";
        raw.bytes = reinterpret_cast<const unsigned char*>(p);
        raw.length = pixels->getLength();
        raw.bits_allocated = 32;
        raw.is_float = true;
    } else {
        return "the file has no pixel data";
    }
    if (!raw.bytes) return "the pixel data is empty";
    return convert(raw, job, as_float, out);
}

}  // namespace consilium::viewer::worker
