// NRRD header reading for the mask check; see nrrd_header.h. Follows the NRRD0001-0005 format
// (teem.sourceforge.net/nrrd/format.html) as far as a label mask needs it.
#include "nrrd_header.h"

#include <zlib.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace consilium::plugins {
namespace {

constexpr std::size_t kHeaderMax = 64 * 1024;

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// Bytes per voxel and integer-ness of a NRRD type name (with its synonyms).
std::optional<std::pair<std::size_t, bool>> voxel_type(const std::string& t) {
    static const std::map<std::string, std::pair<std::size_t, bool>> types = {
        {"signed char", {1, true}}, {"int8", {1, true}}, {"int8_t", {1, true}},
        {"uchar", {1, true}}, {"unsigned char", {1, true}}, {"uint8", {1, true}}, {"uint8_t", {1, true}},
        {"short", {2, true}}, {"short int", {2, true}}, {"signed short", {2, true}}, {"signed short int", {2, true}},
        {"int16", {2, true}}, {"int16_t", {2, true}},
        {"ushort", {2, true}}, {"unsigned short", {2, true}}, {"unsigned short int", {2, true}}, {"uint16", {2, true}},
        {"uint16_t", {2, true}},
        {"int", {4, true}}, {"signed int", {4, true}}, {"int32", {4, true}}, {"int32_t", {4, true}},
        {"uint", {4, true}}, {"unsigned int", {4, true}}, {"uint32", {4, true}}, {"uint32_t", {4, true}},
        {"longlong", {8, true}}, {"long long", {8, true}}, {"long long int", {8, true}}, {"signed long long", {8, true}},
        {"signed long long int", {8, true}}, {"int64", {8, true}}, {"int64_t", {8, true}},
        {"ulonglong", {8, true}}, {"unsigned long long", {8, true}}, {"unsigned long long int", {8, true}},
        {"uint64", {8, true}}, {"uint64_t", {8, true}},
        {"float", {4, false}}, {"double", {8, false}}};
    auto it = types.find(t);
    if (it == types.end()) return std::nullopt;
    return it->second;
}

// "(x,y,z)" -> three finite numbers.
std::optional<std::array<double, 3>> vector3(const std::string& text) {
    std::array<double, 3> v{};
    int used = 0;
    if (std::sscanf(text.c_str(), " ( %lf , %lf , %lf ) %n", &v[0], &v[1], &v[2], &used) != 3 ||
        static_cast<std::size_t>(used) != text.size())
        return std::nullopt;
    for (double x : v)
        if (!std::isfinite(x)) return std::nullopt;
    return v;
}

// "(a,b,c) (d,e,f) (g,h,i)" -> one vector per axis.
std::optional<std::array<std::array<double, 3>, 3>> directions(const std::string& text) {
    std::array<std::array<double, 3>, 3> out{};
    std::size_t pos = 0;
    for (std::size_t axis = 0; axis < 3; ++axis) {
        const auto open = text.find('(', pos), close = text.find(')', pos);
        if (open == std::string::npos || close == std::string::npos || close < open || trim(text.substr(pos, open - pos)) != "")
            return std::nullopt;
        auto v = vector3(text.substr(open, close - open + 1));
        if (!v) return std::nullopt;
        out[axis] = *v;
        pos = close + 1;
    }
    if (!trim(text.substr(pos)).empty()) return std::nullopt;
    return out;
}

}  // namespace

NrrdHeader read_nrrd_header(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw NrrdError("cannot be read");
    std::string head(kHeaderMax, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    if (head.size() < 8 || head.compare(0, 7, "NRRD000") != 0 || head[7] < '1' || head[7] > '5')
        throw NrrdError("does not start with a NRRD magic (NRRD0001 to NRRD0005)");

    std::map<std::string, std::string> fields;
    std::size_t pos = head.find('\n');
    bool ended = false;
    while (pos != std::string::npos && pos + 1 < head.size()) {
        const auto start = pos + 1;
        const auto end = head.find('\n', start);
        if (end == std::string::npos) break;
        std::string line = head.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        pos = end;
        if (line.empty()) {
            ended = true;
            break;
        }
        if (line[0] == '#' || line.find(":=") != std::string::npos) continue;  // comment, key/value pair
        const auto colon = line.find(": ");
        if (colon == std::string::npos) throw NrrdError("header line '" + line.substr(0, 80) + "' is not 'field: value'");
        fields[line.substr(0, colon)] = trim(line.substr(colon + 2));
    }
    if (!ended) throw NrrdError("its header does not end with an empty line within " + std::to_string(kHeaderMax / 1024) + " KB");

    auto need = [&](const char* key) -> const std::string& {
        auto it = fields.find(key);
        if (it == fields.end()) throw NrrdError(std::string("its header has no '") + key + "' field");
        return it->second;
    };
    NrrdHeader h;
    h.data_offset = pos + 1;
    if (fields.count("data file") || fields.count("datafile")) throw NrrdError("its data is in a separate file");
    for (const char* skip : {"line skip", "lineskip", "byte skip", "byteskip"})
        if (fields.count(skip) && fields[skip] != "0") throw NrrdError(std::string("it uses '") + skip + "'");
    if (need("dimension") != "3") throw NrrdError("it is not 3-dimensional (dimension: " + fields["dimension"] + ")");
    const auto type = voxel_type(need("type"));
    if (!type) throw NrrdError("unsupported voxel type '" + fields["type"] + "'");
    h.type_bytes = type->first;
    h.integer = type->second;
    const auto& encoding = need("encoding");
    if (encoding == "gzip" || encoding == "gz") h.gzip = true;
    else if (encoding != "raw") throw NrrdError("encoding '" + encoding + "' (raw or gzip are accepted)");

    long long n[3] = {0, 0, 0};
    int used = 0;
    const auto& sizes = need("sizes");
    if (std::sscanf(sizes.c_str(), "%lld %lld %lld %n", &n[0], &n[1], &n[2], &used) != 3 ||
        static_cast<std::size_t>(used) != sizes.size() || n[0] < 1 || n[1] < 1 || n[2] < 1)
        throw NrrdError("sizes '" + sizes + "' are not three positive numbers");
    for (std::size_t a = 0; a < 3; ++a) h.sizes[a] = n[a];

    // Orientation: only spaces whose axes map onto LPS; x and y change sign for RAS, y for LAS.
    const auto& space = need("space");
    double sign[3] = {1, 1, 1};
    if (space == "right-anterior-superior" || space == "RAS") sign[0] = sign[1] = -1;
    else if (space == "left-anterior-superior" || space == "LAS") sign[1] = -1;
    else if (space != "left-posterior-superior" && space != "LPS")
        throw NrrdError("space '" + space + "' (left-posterior-superior is expected)");
    const auto steps = directions(need("space directions"));
    if (!steps) throw NrrdError("space directions '" + fields["space directions"] + "' are not three (x,y,z) vectors");
    const auto origin = vector3(need("space origin"));
    if (!origin) throw NrrdError("space origin '" + fields["space origin"] + "' is not an (x,y,z) vector");
    for (std::size_t r = 0; r < 3; ++r) {
        h.origin[r] = sign[r] * (*origin)[r];
        for (std::size_t a = 0; a < 3; ++a) h.steps[a][r] = sign[r] * (*steps)[a][r];
    }
    return h;
}

std::uint64_t nrrd_data_bytes(const std::filesystem::path& file, const NrrdHeader& h, std::uint64_t limit) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    if (ec) throw NrrdError("cannot be read: " + ec.message());
    if (size < h.data_offset) throw NrrdError("ends inside its header");
    if (!h.gzip) return std::min<std::uint64_t>(size - h.data_offset, limit + 1);

    std::ifstream in(file, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(h.data_offset));
    z_stream z{};
    if (inflateInit2(&z, 15 + 32) != Z_OK) throw NrrdError("cannot start decompressing");  // gzip or zlib header
    std::vector<unsigned char> input(1 << 16), output(1 << 18);
    std::uint64_t total = 0;
    int rc = Z_OK;
    bool more = true;
    while (more && total <= limit) {
        in.read(reinterpret_cast<char*>(input.data()), static_cast<std::streamsize>(input.size()));
        z.next_in = input.data();
        z.avail_in = static_cast<uInt>(in.gcount());
        more = z.avail_in > 0;
        while (z.avail_in > 0 && total <= limit) {
            z.next_out = output.data();
            z.avail_out = static_cast<uInt>(output.size());
            rc = inflate(&z, Z_NO_FLUSH);
            if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
                inflateEnd(&z);
                throw NrrdError("its gzip data is corrupt");
            }
            total += output.size() - z.avail_out;
            if (rc == Z_STREAM_END && z.avail_in > 0) inflateReset(&z);  // a further gzip member
            else if (rc == Z_BUF_ERROR && z.avail_out != 0) break;        // needs more input
        }
    }
    inflateEnd(&z);
    if (total <= limit && rc != Z_STREAM_END) throw NrrdError("its gzip data is truncated");
    return std::min(total, limit + 1);
}

}  // namespace consilium::plugins
