#pragma once
// Reading a NRRD file's header and sizing its voxel data, so that the host can check a plugin's
// mask against the volume's geometry without ITK (plugins/host depends on decision/ only).
// Private to plugins/host.
#include <array>
#include <cstdint>
#include <filesystem>
#include <stdexcept>

namespace consilium::plugins {

struct NrrdError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct NrrdHeader {
    std::array<std::int64_t, 3> sizes{};
    // Per axis i, j, k: the LPS step in mm from one voxel to the next (spacing included).
    std::array<std::array<double, 3>, 3> steps{};
    std::array<double, 3> origin{};  // LPS, mm
    std::size_t type_bytes = 0;
    bool integer = false;            // an integer voxel type (labels), not float or double
    bool gzip = false;               // else raw
    std::uint64_t data_offset = 0;   // where the voxel data starts in the file
};

// The header of a 3D NRRD with its data in the same file, raw or gzip-encoded, in a space with a
// known orientation: left-posterior-superior, or right-anterior-superior / left-anterior-superior
// (converted to LPS). Anything else throws NrrdError saying what.
NrrdHeader read_nrrd_header(const std::filesystem::path& file);

// The bytes of voxel data the file holds (decompressed for gzip); reading stops past `limit`,
// so the result is at most limit + 1. Throws NrrdError when the data cannot be read.
std::uint64_t nrrd_data_bytes(const std::filesystem::path& file, const NrrdHeader& header, std::uint64_t limit);

}  // namespace consilium::plugins
