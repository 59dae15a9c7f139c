// libconsilium-gdcm-decoder.so: GDCM behind one C function, loaded by the decoder worker only for
// files DCMTK cannot decode (JPEG 2000 first of all). It runs inside the worker process, so an
// abort in GDCM takes down the worker, not the viewer.
#include <gdcmImage.h>
#include <gdcmImageReader.h>

#include <cstdlib>
#include <cstring>

extern "C" __attribute__((visibility("default"))) int consilium_gdcm_decode(
    const char* path, unsigned char** data, unsigned long* length, int* bits_allocated, int* bits_stored,
    int* pixel_representation, int* samples, char* error, unsigned long error_size) {
    auto fail = [&](const char* what) {
        std::strncpy(error, what, error_size - 1);
        return 1;
    };
    try {
        gdcm::ImageReader reader;
        reader.SetFileName(path);
        if (!reader.Read()) return fail("GDCM could not read the file");
        const gdcm::Image& image = reader.GetImage();
        const unsigned long n = image.GetBufferLength();
        if (n == 0) return fail("GDCM found no pixel data");
        auto* buffer = static_cast<unsigned char*>(std::malloc(n));  // freed by the caller with free()
        if (!buffer) return fail("out of memory");
        if (!image.GetBuffer(reinterpret_cast<char*>(buffer))) {
            std::free(buffer);
            return fail("GDCM could not decode the pixel data");
        }
        const gdcm::PixelFormat& pf = image.GetPixelFormat();
        *data = buffer;
        *length = n;
        *bits_allocated = pf.GetBitsAllocated();
        *bits_stored = pf.GetBitsStored();
        *pixel_representation = pf.GetPixelRepresentation();
        *samples = pf.GetSamplesPerPixel();
        return 0;
    } catch (const std::exception& e) {
        return fail(e.what());
    }
}
