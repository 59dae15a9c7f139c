// libconsilium-volume-files.so: NIfTI, NRRD and MetaImage through ITK, loaded by load_volume_file()
// (volume_files.cpp) when a program first reads such a file. The only translation unit of the
// viewer that includes ITK headers (they are heavy to compile, and ITK's libraries slow every
// start of a program that links them).
#include "modules.h"

#include <itkImage.h>
#include <itkImageFileReader.h>
#include <itkMetaImageIO.h>
#include <itkNiftiImageIO.h>
#include <itkNrrdImageIO.h>

namespace consilium::viewer {
namespace {

itk::ImageIOBase::Pointer io_for(const std::filesystem::path& p) {
    switch (modules::volume_file_format(p)) {
    case modules::VolumeFileFormat::nifti: return itk::NiftiImageIO::New().GetPointer();
    case modules::VolumeFileFormat::nrrd: return itk::NrrdImageIO::New().GetPointer();
    case modules::VolumeFileFormat::metaimage: return itk::MetaImageIO::New().GetPointer();
    case modules::VolumeFileFormat::none: break;
    }
    return nullptr;
}

// Reads as T and takes over ITK's buffer, so the voxels are not copied.
template <class T>
Volume read_as(const std::filesystem::path& path, itk::ImageIOBase* io, PixelType type) {
    using Image = itk::Image<T, 3>;
    auto reader = itk::ImageFileReader<Image>::New();
    reader->SetImageIO(io);
    reader->SetFileName(path.string());
    reader->Update();
    typename Image::Pointer image = reader->GetOutput();
    Volume v;
    const auto size = image->GetLargestPossibleRegion().GetSize();
    for (unsigned d = 0; d < 3; ++d) {
        v.dims[d] = static_cast<int>(size[d]);
        v.spacing_mm[d] = image->GetSpacing()[d];
        v.origin_lps[d] = image->GetOrigin()[d];
        for (unsigned c = 0; c < 3; ++c) v.direction[d * 3 + c] = image->GetDirection()(d, c);
    }
    v.pixel_type = type;
    auto container = image->GetPixelContainer();
    container->SetContainerManageMemory(false);
    T* data = container->GetImportPointer();
    v.voxels = adopt_buffer(data, v.voxel_count() * sizeof(T), [](void* p) { delete[] static_cast<T*>(p); });
    v.description = path.filename().string();
    return v;
}

Volume read_volume_file(const std::filesystem::path& path) {
    auto io = io_for(path);
    if (!io) throw LoadError(path.string() + ": not a NIfTI, NRRD or MetaImage file");
    try {
        io->SetFileName(path.string());
        if (!io->CanReadFile(path.c_str())) throw LoadError(path.string() + ": not readable as " + io->GetNameOfClass());
        io->ReadImageInformation();
        if (io->GetNumberOfComponents() != 1)
            throw LoadError(path.string() + ": " + std::to_string(io->GetNumberOfComponents()) +
                            " components per voxel; only grey-scale volumes are shown");
        if (io->GetNumberOfDimensions() > 3)
            throw LoadError(path.string() + ": " + std::to_string(io->GetNumberOfDimensions()) + "-dimensional image; only 3D volumes load");
        using C = itk::IOComponentEnum;
        const auto c = io->GetComponentType();
        const bool fits_int16 = c == C::UCHAR || c == C::CHAR || c == C::SHORT;
        return fits_int16 ? read_as<std::int16_t>(path, io, PixelType::int16) : read_as<float>(path, io, PixelType::float32);
    } catch (const itk::ExceptionObject& e) {
        throw LoadError(path.string() + ": " + e.GetDescription());
    }
}

}  // namespace
}  // namespace consilium::viewer

extern "C" __attribute__((visibility("default"))) int consilium_load_volume_file_v1(const std::filesystem::path& path,
                                                                                 consilium::viewer::Volume& out,
                                                                                 std::string& error) {
    try {
        out = consilium::viewer::read_volume_file(path);
        return 0;
    } catch (const consilium::viewer::LoadError& e) {
        error = e.what();
        return 1;
    } catch (const std::exception& e) {
        error = e.what();
        return 2;
    }
}
// The type the loading side calls it through.
static_assert(std::is_same_v<decltype(&consilium_load_volume_file_v1), consilium::viewer::modules::VolumeFileEntry>);
