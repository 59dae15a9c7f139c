#include "frame_decoder.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/oflog/oflog.h>

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <algorithm>
#include <cerrno>
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
    // The common case - 16-bit integers - in loops without per-voxel branches, which the compiler
    // can vectorise.
    if (!raw.is_float && raw.bits_allocated == 16 && stored <= 16) {
        const unsigned char* src = raw.bytes + first_bit / 8;
        const std::uint16_t mask = static_cast<std::uint16_t>((1u << stored) - 1u);
        const int shift = 32 - stored;  // sign extension from `stored` bits by shifting
        const bool is_signed = raw.pixel_representation == 1;
        static thread_local std::vector<std::int32_t> values;
        values.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            std::uint16_t w;
            std::memcpy(&w, src + 2 * i, 2);
            values[i] = static_cast<std::int32_t>(w & mask);
        }
        if (is_signed)
            for (auto& v : values) v = static_cast<std::int32_t>(static_cast<std::uint32_t>(v) << shift) >> shift;
        if (!as_float && job.slope == 1.0 && job.intercept == std::floor(job.intercept) && std::fabs(job.intercept) < 65536) {
            const std::int32_t offset = static_cast<std::int32_t>(job.intercept);
            std::int16_t* o = static_cast<std::int16_t*>(out);
            for (std::size_t i = 0; i < n; ++i) o[i] = static_cast<std::int16_t>(std::clamp(values[i] + offset, -32768, 32767));
        } else if (as_float) {
            float* o = static_cast<float*>(out);
            const float slope = static_cast<float>(job.slope), intercept = static_cast<float>(job.intercept);
            for (std::size_t i = 0; i < n; ++i) o[i] = static_cast<float>(values[i]) * slope + intercept;
        } else {
            std::int16_t* o = static_cast<std::int16_t*>(out);
            for (std::size_t i = 0; i < n; ++i)
                o[i] = static_cast<std::int16_t>(std::clamp(std::nearbyint(values[i] * job.slope + job.intercept), -32768.0, 32767.0));
        }
        return {};
    }
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

// GDCM (for JPEG 2000, and what DCMTK cannot decode) lives in a module loaded only when needed:
// linking it in would cost every worker ~40 ms of start-up building GDCM's dictionaries.
using GdcmDecode = int (*)(const char* path, unsigned char** data, unsigned long* length, int* bits_allocated,
                           int* bits_stored, int* pixel_representation, int* samples, char* error, unsigned long error_size);

GdcmDecode gdcm_module() {
    static GdcmDecode decode = [] () -> GdcmDecode {
        std::error_code ec;
        auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
        void* handle = ec ? nullptr : dlopen((self.parent_path() / "libconsilium-gdcm-decoder.so").c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle) handle = dlopen("libconsilium-gdcm-decoder.so", RTLD_NOW | RTLD_LOCAL);
        return handle ? reinterpret_cast<GdcmDecode>(dlsym(handle, "consilium_gdcm_decode")) : nullptr;
    }();
    return decode;
}

std::string decode_with_gdcm(const FrameJob& job, bool as_float, void* out) {
    GdcmDecode decode = gdcm_module();
    if (!decode) return "the GDCM decoder module is not installed";
    unsigned char* data = nullptr;
    unsigned long length = 0;
    int ba = 0, bs = 0, pr = 0, samples = 1;
    char error[256] = {};
    if (decode(job.path.c_str(), &data, &length, &ba, &bs, &pr, &samples, error, sizeof error) != 0) return error;
    std::string problem;
    if (samples != 1) {
        problem = "unsupported: colour images are not grey-scale volumes";
    } else {
        Raw raw;
        raw.bytes = data;
        raw.length = length;
        raw.bits_allocated = ba;
        raw.bits_stored = bs;
        raw.pixel_representation = pr;
        problem = convert(raw, job, as_float, out);
    }
    std::free(data);
    return problem;
}

// Uncompressed little-endian files whose last element is the pixel data (nearly all of them): the
// frame's bytes read straight from the end of the file. The element header in front of the data is
// checked byte for byte (tag and exact length, implicit or explicit VR); anything else goes through
// DCMTK. Read with pread() into memory reused from frame to frame, not mapped: on a virtual machine
// every first touch of a mapped page costs a fault (~4x slower for these files).
bool try_raw_little_endian(const FrameJob& job, bool as_float, void* out, std::string& problem) {
    if (job.bits_allocated != 8 && job.bits_allocated != 16) return false;
    const std::uint64_t frame_bytes = static_cast<std::uint64_t>(job.rows) * static_cast<std::uint64_t>(job.columns) *
                                      static_cast<std::uint64_t>(job.bits_allocated / 8);
    const std::uint64_t data_bytes = frame_bytes * static_cast<std::uint64_t>(job.frames);
    if (job.frame < 0 || job.frame >= job.frames || data_bytes > 0xFFFFFFFEull) return false;
    struct File {
        int fd = -1;
        ~File() {
            if (fd >= 0) ::close(fd);
        }
    } file;
    file.fd = ::open(job.path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st{};
    if (file.fd < 0 || fstat(file.fd, &st) != 0 || static_cast<std::uint64_t>(st.st_size) < data_bytes + 12) return false;
    const std::uint64_t start = static_cast<std::uint64_t>(st.st_size) - data_bytes;
    auto read_at = [&](unsigned char* to, std::uint64_t size, std::uint64_t at) {
        while (size > 0) {
            const ssize_t n = ::pread(file.fd, to, size, static_cast<off_t>(at));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return false;
            to += n;
            size -= static_cast<std::uint64_t>(n);
            at += static_cast<std::uint64_t>(n);
        }
        return true;
    };
    unsigned char head[12];
    if (!read_at(head, sizeof head, start - sizeof head)) return false;
    const std::uint32_t length = static_cast<std::uint32_t>(data_bytes);
    auto length_at = [&](std::size_t at) {
        std::uint32_t v;
        std::memcpy(&v, head + at, 4);
        return v;
    };
    const unsigned char tag[4] = {0xE0, 0x7F, 0x10, 0x00};
    const bool implicit = std::memcmp(head + 4, tag, 4) == 0 && length_at(8) == length;
    const bool explicit_vr = std::memcmp(head, tag, 4) == 0 && head[4] == 'O' && (head[5] == 'W' || head[5] == 'B') &&
                             head[6] == 0 && head[7] == 0 && length_at(8) == length;
    if (!implicit && !explicit_vr) return false;
    static thread_local std::vector<unsigned char> bytes;
    bytes.resize(static_cast<std::size_t>(frame_bytes));
    if (!read_at(bytes.data(), frame_bytes, start + frame_bytes * static_cast<std::uint64_t>(job.frame))) return false;
    Raw raw;
    raw.bytes = bytes.data();
    raw.length = bytes.size();
    raw.bits_allocated = job.bits_allocated;
    raw.bits_stored = job.bits_stored;
    raw.pixel_representation = job.pixel_representation;
    FrameJob one = job;  // `bytes` holds this frame alone
    one.frame = 0;
    problem = convert(raw, one, as_float, out);
    return true;
}

}  // namespace

std::string decode_frame(const FrameJob& job, bool as_float, void* out) {
    std::string problem;
    if (try_raw_little_endian(job, as_float, out, problem)) return problem;
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
            problem = decode_with_gdcm(job, as_float, out);
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
