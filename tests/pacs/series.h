#pragma once
// A generated CT series on disk and in a running Orthanc, and voxel comparison through the viewer.
#include "../cli/dicom_series.h"
#include "orthanc.h"

#include "consilium/viewer/load.h"

#include <boost/test/unit_test.hpp>

#include <cstring>
#include <filesystem>

namespace consilium::test::pacs {

struct Series {
    dicom::SeriesSpec spec;
    std::filesystem::path folder;
    std::vector<std::filesystem::path> files;
};

inline Series uploaded_series(const Orthanc& orthanc, const std::filesystem::path& folder, int slices = 12, int rows = 32,
                              int columns = 40, const std::string& patient_id = "PACS-0001") {
    Series s;
    s.spec.slices = slices;
    s.spec.rows = rows;
    s.spec.columns = columns;
    s.spec.patient_id = patient_id;
    s.folder = folder;
    s.files = dicom::write_series(folder, s.spec);
    BOOST_REQUIRE_EQUAL(orthanc.upload(s.files), slices);
    return s;
}

// The same volume, voxel for voxel, as the local files give.
inline void check_same_volume(const std::filesystem::path& local, const std::filesystem::path& retrieved) {
    auto a = viewer::load_path(local);
    auto b = viewer::load_path(retrieved);
    BOOST_TEST(a.dims == b.dims);
    BOOST_TEST(a.spacing_mm == b.spacing_mm);
    BOOST_TEST(a.origin_lps == b.origin_lps);
    BOOST_TEST(a.direction == b.direction);
    BOOST_TEST(a.series_uid == b.series_uid);
    BOOST_REQUIRE(a.voxels && b.voxels);
    BOOST_REQUIRE_EQUAL(a.voxels->size(), b.voxels->size());
    BOOST_TEST(std::memcmp(a.voxels->data(), b.voxels->data(), a.voxels->size()) == 0);
}

inline std::size_t files_in(const std::filesystem::path& folder, const std::string& extension) {
    std::size_t n = 0;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(folder, ec); !ec && it != std::filesystem::end(it);
         it.increment(ec))
        if (it->is_regular_file() && it->path().extension() == extension) ++n;
    return n;
}

}  // namespace consilium::test::pacs
