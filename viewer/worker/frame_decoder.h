#pragma once
// Decodes one frame of one DICOM file into rescaled voxels. Runs only inside the decoder worker
// process: a decoder that aborts, hangs or allocates wildly takes down the worker, not the caller.
#include <string>

namespace consilium::viewer::worker {

struct FrameJob {
    int slice = 0;           // where it goes in the volume
    int frame = 0;           // which frame of the file
    int rows = 0, columns = 0;
    double slope = 1, intercept = 0;
    int bits_allocated = 16, bits_stored = 16, pixel_representation = 0, frames = 1;  // from the header scan
    std::string path;
};

// Writes rows*columns values (int16 or float32 per `as_float`) to `out`. Returns "" on success,
// else the reason ("unsupported: JPEG 2000 (...)", "pixel data shorter than the header says").
std::string decode_frame(const FrameJob& job, bool as_float, void* out);

}  // namespace consilium::viewer::worker
