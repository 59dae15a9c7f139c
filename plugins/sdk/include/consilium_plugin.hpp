// consilium_plugin.hpp - header-only C++17 convenience over consilium_plugin.h.
//
//   class MyPlugin : public consilium::sdk::Plugin {
//   public:
//       void run(consilium::sdk::Context& ctx) override {
//           ctx.emit({consilium::sdk::Suggestion("finding").summary("...").rationale("...")});
//       }
//   };
//   CONSILIUM_PLUGIN(MyPlugin, "org.example.my", "1.0.0", "model-1");
//
// The macro defines the C entry point. Every exception thrown by the plugin is caught at the
// boundary and becomes CONSILIUM_STATUS_ERROR plus an error log line (Cancelled becomes
// CONSILIUM_STATUS_CANCELLED). No third-party library is needed: JSON is written here.
#ifndef CONSILIUM_PLUGIN_HPP
#define CONSILIUM_PLUGIN_HPP

#include "consilium_plugin.h"

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace consilium::sdk {

// ---------------------------------------------------------------------------------------------
// JSON writing

// Appends `s` as a JSON string literal (with the quotes). Valid UTF-8 is copied as is; control
// characters are escaped (\n, \t, \u0001 ...); each byte of invalid UTF-8 becomes \ufffd.
inline void append_json_string(std::string& out, std::string_view s) {
    static const char hex[] = "0123456789abcdef";
    out.push_back('"');
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    for (std::size_t i = 0; i < n;) {
        const unsigned char c = p[i];
        if (c < 0x80) {
            switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    out += "\\u00";
                    out.push_back(hex[c >> 4]);
                    out.push_back(hex[c & 0xf]);
                } else {
                    out.push_back(static_cast<char>(c));
                }
            }
            ++i;
            continue;
        }
        // A multi-byte sequence: check it is well-formed UTF-8 (no overlongs, no surrogates).
        std::size_t len = 0;
        std::uint32_t cp = 0;
        if (c >= 0xc2 && c <= 0xdf) { len = 2; cp = c & 0x1f; }
        else if (c >= 0xe0 && c <= 0xef) { len = 3; cp = c & 0x0f; }
        else if (c >= 0xf0 && c <= 0xf4) { len = 4; cp = c & 0x07; }
        bool ok = len != 0 && i + len <= n;
        for (std::size_t k = 1; ok && k < len; ++k) {
            if ((p[i + k] & 0xc0) != 0x80) ok = false;
            else cp = (cp << 6) | (p[i + k] & 0x3f);
        }
        if (ok) {
            ok = !(len == 3 && cp < 0x800) && !(len == 4 && (cp < 0x10000 || cp > 0x10ffff)) &&
                 !(cp >= 0xd800 && cp <= 0xdfff);
        }
        if (ok) {
            out.append(s.data() + i, len);
            i += len;
        } else {
            out += "\\ufffd";
            ++i;
        }
    }
    out.push_back('"');
}

inline std::string json_string(std::string_view s) {
    std::string out;
    append_json_string(out, s);
    return out;
}

// Appends a JSON number; NaN and infinities (which JSON cannot hold) become null.
// Independent of the C locale's decimal separator.
inline void append_json_number(std::string& out, double v) {
    if (!std::isfinite(v)) {
        out += "null";
        return;
    }
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.15g", v);
    if (std::strtod(buf, nullptr) != v) std::snprintf(buf, sizeof buf, "%.17g", v);
    for (char* q = buf; *q; ++q)
        if (*q == ',') *q = '.';
    out += buf;
}

// ---------------------------------------------------------------------------------------------
// Suggestions (the schema of PLUGINS.md)

class Suggestion {
public:
    // kind: "finding", "diagnosis", "treatment" or "risk" (one of the manifest's outputs).
    explicit Suggestion(std::string kind) : kind_(std::move(kind)) {}

    Suggestion& code(std::string system, std::string code, std::string display = {}) {
        code_ = Code{std::move(system), std::move(code), std::move(display)};
        return *this;
    }
    // 0..1; left unset it is written as null ("no meaning here").
    Suggestion& confidence(double c) { confidence_ = c; return *this; }
    Suggestion& score(double s) { score_ = s; return *this; }
    Suggestion& band(std::string b) { band_ = std::move(b); return *this; }
    // One line, at most 140 characters.
    Suggestion& summary(std::string s) { summary_ = std::move(s); return *this; }
    // Why, in words a clinician can check.
    Suggestion& rationale(std::string r) { rationale_ = std::move(r); return *this; }

    // Evidence items.
    Suggestion& observation(std::string_view ref) {
        return add_evidence("{\"type\":\"observation\",\"ref\":" + json_string(ref) + "}");
    }
    Suggestion& roi(const std::array<double, 3>& center_lps, const std::array<double, 3>& size_mm) {
        std::string e = "{\"type\":\"roi\",\"center_lps\":";
        append_array(e, center_lps);
        e += ",\"size_mm\":";
        append_array(e, size_mm);
        e += "}";
        return add_evidence(e);
    }
    // file: relative to the host's work_dir.
    Suggestion& mask(std::string_view file) {
        return add_evidence("{\"type\":\"mask\",\"file\":" + json_string(file) + "}");
    }
    Suggestion& reference(std::string_view text, std::string_view url = {}) {
        std::string e = "{\"type\":\"reference\",\"text\":" + json_string(text);
        if (!url.empty()) e += ",\"url\":" + json_string(url);
        e += "}";
        return add_evidence(e);
    }

    // The suggestion as one JSON object.
    std::string to_json() const {
        std::string out = "{\"kind\":" + json_string(kind_);
        if (code_) {
            out += ",\"code\":{\"system\":" + json_string(code_->system) +
                   ",\"code\":" + json_string(code_->code);
            if (!code_->display.empty()) out += ",\"display\":" + json_string(code_->display);
            out += "}";
        }
        out += ",\"confidence\":";
        if (confidence_) append_json_number(out, *confidence_);
        else out += "null";
        if (score_) {
            out += ",\"score\":";
            append_json_number(out, *score_);
        }
        if (band_) out += ",\"band\":" + json_string(*band_);
        out += ",\"summary\":" + json_string(summary_);
        out += ",\"rationale\":" + json_string(rationale_);
        out += ",\"evidence\":[";
        for (std::size_t i = 0; i < evidence_.size(); ++i) {
            if (i) out += ",";
            out += evidence_[i];
        }
        out += "]}";
        return out;
    }

private:
    struct Code { std::string system, code, display; };
    Suggestion& add_evidence(std::string json) { evidence_.push_back(std::move(json)); return *this; }
    static void append_array(std::string& out, const std::array<double, 3>& v) {
        out += "[";
        for (std::size_t i = 0; i < 3; ++i) {
            if (i) out += ",";
            append_json_number(out, v[i]);
        }
        out += "]";
    }

    std::string kind_;
    std::optional<Code> code_;
    std::optional<double> confidence_;
    std::optional<double> score_;
    std::optional<std::string> band_;
    std::string summary_, rationale_;
    std::vector<std::string> evidence_;
};

// {"suggestions":[...]}
inline std::string suggestions_json(const std::vector<Suggestion>& suggestions) {
    std::string out = "{\"suggestions\":[";
    for (std::size_t i = 0; i < suggestions.size(); ++i) {
        if (i) out += ",";
        out += suggestions[i].to_json();
    }
    out += "]}";
    return out;
}

// ---------------------------------------------------------------------------------------------
// The volume

// A typed, read-only view of the host's volume. Accessors check bounds and pixel type and
// throw std::out_of_range / std::invalid_argument (caught at the plugin boundary).
class VolumeView {
public:
    explicit VolumeView(const consilium_volume& v) : v_(&v) {
        for (int a = 0; a < 3; ++a)
            if (v.dims[a] < 1) throw std::invalid_argument("consilium: volume with an empty dimension");
        if (v.voxels == nullptr) throw std::invalid_argument("consilium: volume without voxels");
    }

    std::array<std::int32_t, 3> dims() const { return {v_->dims[0], v_->dims[1], v_->dims[2]}; }
    std::array<double, 3> spacing_mm() const { return {v_->spacing_mm[0], v_->spacing_mm[1], v_->spacing_mm[2]}; }
    std::array<double, 3> origin_lps() const { return {v_->origin_lps[0], v_->origin_lps[1], v_->origin_lps[2]}; }
    consilium_pixel_type pixel_type() const { return v_->pixel_type; }
    std::string_view modality() const { return v_->modality ? v_->modality : ""; }
    std::string_view series_uid() const { return v_->series_uid ? v_->series_uid : ""; }
    std::size_t voxel_count() const {
        return static_cast<std::size_t>(v_->dims[0]) * static_cast<std::size_t>(v_->dims[1]) *
               static_cast<std::size_t>(v_->dims[2]);
    }
    bool contains(std::int64_t i, std::int64_t j, std::int64_t k) const {
        return i >= 0 && j >= 0 && k >= 0 && i < v_->dims[0] && j < v_->dims[1] && k < v_->dims[2];
    }
    // Offset of voxel (i,j,k) in the voxel array (i fastest).
    std::size_t index(std::int64_t i, std::int64_t j, std::int64_t k) const {
        if (!contains(i, j, k)) throw std::out_of_range("consilium: voxel index outside the volume");
        return static_cast<std::size_t>(i) +
               static_cast<std::size_t>(v_->dims[0]) *
                   (static_cast<std::size_t>(j) + static_cast<std::size_t>(v_->dims[1]) * static_cast<std::size_t>(k));
    }

    // The voxels as T (std::int16_t for CONSILIUM_PIXEL_INT16, float for CONSILIUM_PIXEL_FLOAT32).
    template <typename T>
    const T* data() const {
        if (!matches<T>()) throw std::invalid_argument("consilium: volume pixel type does not match the accessor");
        return static_cast<const T*>(v_->voxels);
    }
    template <typename T>
    T at(std::int64_t i, std::int64_t j, std::int64_t k) const {
        return data<T>()[index(i, j, k)];
    }
    // The value of voxel (i,j,k) whatever the pixel type.
    double value(std::int64_t i, std::int64_t j, std::int64_t k) const {
        const std::size_t n = index(i, j, k);
        if (v_->pixel_type == CONSILIUM_PIXEL_INT16) return static_cast<const std::int16_t*>(v_->voxels)[n];
        if (v_->pixel_type == CONSILIUM_PIXEL_FLOAT32) return static_cast<const float*>(v_->voxels)[n];
        throw std::invalid_argument("consilium: unknown pixel type");
    }

    // LPS position (mm) of continuous index (i,j,k): origin + direction * (spacing .* ijk).
    std::array<double, 3> index_to_lps(double i, double j, double k) const {
        const double s[3] = {i * v_->spacing_mm[0], j * v_->spacing_mm[1], k * v_->spacing_mm[2]};
        std::array<double, 3> p{};
        for (int r = 0; r < 3; ++r)
            p[r] = v_->origin_lps[r] + v_->direction[3 * r] * s[0] + v_->direction[3 * r + 1] * s[1] +
                   v_->direction[3 * r + 2] * s[2];
        return p;
    }
    // Continuous index of an LPS position (direction assumed orthonormal, as DICOM requires).
    std::array<double, 3> lps_to_index(const std::array<double, 3>& lps) const {
        const double d[3] = {lps[0] - v_->origin_lps[0], lps[1] - v_->origin_lps[1], lps[2] - v_->origin_lps[2]};
        std::array<double, 3> ijk{};
        for (int c = 0; c < 3; ++c)
            ijk[c] = (v_->direction[c] * d[0] + v_->direction[3 + c] * d[1] + v_->direction[6 + c] * d[2]) /
                     v_->spacing_mm[c];
        return ijk;
    }

    const consilium_volume& raw() const { return *v_; }

private:
    template <typename T>
    bool matches() const {
        if constexpr (std::is_same_v<T, std::int16_t>) return v_->pixel_type == CONSILIUM_PIXEL_INT16;
        else if constexpr (std::is_same_v<T, float>) return v_->pixel_type == CONSILIUM_PIXEL_FLOAT32;
        else return false;
    }
    const consilium_volume* v_;
};

// ---------------------------------------------------------------------------------------------
// The run

// Thrown (by Context::throw_if_cancelled or the plugin) to stop a run as cancelled.
struct Cancelled : std::exception {
    const char* what() const noexcept override { return "cancelled"; }
};

// Thrown when a host callback refuses something (e.g. emitted JSON it finds invalid).
struct HostError : std::runtime_error {
    HostError(const std::string& what, consilium_status s) : std::runtime_error(what), status(s) {}
    consilium_status status;
};

// The host as a C++ object, for one run.
class Context {
public:
    explicit Context(const consilium_host& h) : h_(&h) {}

    void log(consilium_log_level level, const std::string& message) const {
        if (h_->log) h_->log(h_->host, level, message.c_str());
    }
    void debug(const std::string& m) const { log(CONSILIUM_LOG_DEBUG, m); }
    void info(const std::string& m) const { log(CONSILIUM_LOG_INFO, m); }
    void warning(const std::string& m) const { log(CONSILIUM_LOG_WARNING, m); }
    void error(const std::string& m) const { log(CONSILIUM_LOG_ERROR, m); }

    void progress(double fraction) const {
        if (h_->progress) h_->progress(h_->host, fraction < 0 ? 0 : fraction > 1 ? 1 : fraction);
    }
    bool cancelled() const { return h_->is_cancelled && h_->is_cancelled(h_->host) != 0; }
    void throw_if_cancelled() const {
        if (cancelled()) throw Cancelled();
    }

    // Sends suggestions to the host; throws HostError when it refuses them.
    void emit(const std::vector<Suggestion>& suggestions) const { emit_json(suggestions_json(suggestions)); }
    void emit_json(const std::string& json) const {
        if (!h_->emit_suggestions) throw HostError("consilium: the host cannot take suggestions", CONSILIUM_STATUS_ERROR);
        const consilium_status s = h_->emit_suggestions(h_->host, json.c_str());
        if (s != CONSILIUM_STATUS_OK) throw HostError("consilium: the host refused the suggestions", s);
    }

    // The patient as a FHIR R4 Bundle (JSON text); empty when the host gave none.
    std::string_view context_json() const { return h_->context_json ? h_->context_json : ""; }
    // The series, or nothing when the manifest asks for no volume.
    std::optional<VolumeView> volume() const {
        if (!h_->volume) return std::nullopt;
        return VolumeView(*h_->volume);
    }
    // The scratch folder the plugin may write into.
    std::string work_dir() const { return h_->work_dir ? h_->work_dir : ""; }

    const consilium_host& raw() const { return *h_; }

private:
    const consilium_host* h_;
};

// Base class of a C++ plugin: one object is constructed for each run.
class Plugin {
public:
    virtual ~Plugin() = default;
    virtual void run(Context& ctx) = 0;
};

namespace detail {

inline void log_noexcept(const consilium_host* h, consilium_log_level level, const char* prefix,
                         const char* what) noexcept {
    if (!h || !h->log) return;
    try {
        std::string m = std::string(prefix) + (what ? what : "");
        h->log(h->host, level, m.c_str());
    } catch (...) {
        h->log(h->host, level, prefix);  // out of memory: the prefix alone
    }
}

// Runs plugin class P on host h; never lets an exception out.
template <typename P>
consilium_status run_plugin(const consilium_host* h) noexcept {
    if (h == nullptr || h->abi_version < 1 ||
        h->struct_size < offsetof(consilium_host, work_dir) + sizeof(h->work_dir))
        return CONSILIUM_STATUS_INVALID_ARGUMENT;
    try {
        P plugin;
        Context ctx(*h);
        plugin.run(ctx);
        return CONSILIUM_STATUS_OK;
    } catch (const Cancelled&) {
        log_noexcept(h, CONSILIUM_LOG_INFO, "run cancelled", nullptr);
        return CONSILIUM_STATUS_CANCELLED;
    } catch (const HostError& e) {
        log_noexcept(h, CONSILIUM_LOG_ERROR, "plugin failed: ", e.what());
        return e.status;
    } catch (const std::exception& e) {
        log_noexcept(h, CONSILIUM_LOG_ERROR, "plugin failed with an exception: ", e.what());
        return CONSILIUM_STATUS_ERROR;
    } catch (...) {
        log_noexcept(h, CONSILIUM_LOG_ERROR, "plugin failed with an unknown exception", nullptr);
        return CONSILIUM_STATUS_ERROR;
    }
}

}  // namespace detail
}  // namespace consilium::sdk

// Defines the C entry point of a plugin whose class (derived from consilium::sdk::Plugin,
// default-constructible) is ClassName. Id, Version and ModelVersion are string literals equal to
// the manifest's "id", "version" and "model.version". Use once per library, at namespace scope,
// followed by a semicolon.
#define CONSILIUM_PLUGIN(ClassName, Id, Version, ModelVersion)                                       \
    extern "C" {                                                                                     \
    static consilium_status consilium_sdk_run_(const consilium_host* host) {                         \
        return ::consilium::sdk::detail::run_plugin<ClassName>(host);                                \
    }                                                                                                \
    CONSILIUM_PLUGIN_EXPORT const consilium_plugin* consilium_plugin_entry(uint32_t host_abi_version) { \
        static const consilium_plugin table = {CONSILIUM_PLUGIN_ABI_VERSION, sizeof(consilium_plugin),  \
                                               Id, Version, ModelVersion, &consilium_sdk_run_, NULL};  \
        return host_abi_version >= 1u ? &table : NULL;                                               \
    }                                                                                                \
    }                                                                                                \
    static_assert(sizeof(ClassName) > 0, "CONSILIUM_PLUGIN needs a complete plugin class")

#endif  // CONSILIUM_PLUGIN_HPP
