#pragma once
// Loading one series (or a NIfTI/NRRD/MetaImage file) into a Volume.
//
// DICOM pixel data is decoded by worker processes (consilium-dicom-worker) straight into the
// volume's shared-memory buffer, slices in parallel, the middle slice first. A worker that
// crashes, hangs or runs out of its memory limit fails the load with a message naming the file;
// the caller's process is never at risk.
#include "consilium/viewer/scan.h"
#include "consilium/viewer/volume.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

namespace consilium::viewer {

// A series or file that cannot be loaded; the message names the file and the reason.
class LoadError : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct LoadOptions {
    std::function<void(std::size_t done, std::size_t total)> progress;
    // Called once, as soon as the middle slice is in the buffer (before the rest has arrived).
    std::function<void(int slice)> middle_slice_ready;
    // Called once, before any slice is decoded, with the volume whose buffer the workers are about
    // to fill (same memory as the returned volume): a viewer can show slices as they arrive.
    std::function<void(const Volume& filling)> volume_allocated;
    const std::atomic<bool>* cancel = nullptr;
    int workers = 0;                             // 0: one per core
    std::chrono::seconds timeout{120};           // wall-clock, for the whole load
    long worker_memory_mb = 1024;                // beyond the shared buffer
    std::filesystem::path worker;                // default: consilium-dicom-worker beside this program
    // When set, receives statistics() of the loaded volume. DICOM slices are totalled by the
    // decoder workers as they write them, so the caller's process never reads the voxels for it.
    VolumeStatistics* statistics = nullptr;
};

Volume load_series(const ScanResult& scan, const Series& series, const LoadOptions& options = {});

// A path: a NIfTI (.nii, .nii.gz), NRRD (.nrrd, .nhdr) or MetaImage (.mha, .mhd) file, or a DICOM
// file or folder. With several DICOM series, `series_uid` chooses; without it, a folder holding
// one series (or the time points of one 4D series, of which the first is loaded) is accepted.
Volume load_path(const std::filesystem::path& path, const std::optional<std::string>& series_uid = std::nullopt,
                 const LoadOptions& options = {});

bool is_volume_file(const std::filesystem::path& path);  // by extension: NIfTI, NRRD, MetaImage
Volume load_volume_file(const std::filesystem::path& path);

}  // namespace consilium::viewer
