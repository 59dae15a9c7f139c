// NIfTI, NRRD and MetaImage through ITK. The only translation unit of the viewer that includes
// ITK headers (they are heavy to compile).
#include "consilium/viewer/load.h"

#include <itkImage.h>
#include <itkImageFileReader.h>
#include <itkMetaImageIO.h>
#include <itkNiftiImageIO.h>
#include <itkNrrdImageIO.h>

#include <algorithm>
#include <cctype>

namespace consilium::viewer {
namespace {

std::string lower_name(const std::filesystem::path& p) {
    std::string s = p.filename().string();
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

itk::ImageIOBase::Pointer io_for(const std::filesystem::path& p) {
    const std::string n = lower_name(p);
    if (ends_with(n, ".nii") || ends_with(n, ".nii.gz") || ends_with(n, ".hdr") || ends_with(n, ".img"))
        return itk::NiftiImageIO::New().GetPointer();
    if (ends_with(n, ".nrrd") || ends_with(n, ".nhdr")) return itk::NrrdImageIO::New().GetPointer();
    if (ends_with(n, ".mha") || ends_with(n, ".mhd")) return itk::MetaImageIO::New().GetPointer();
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

}  // namespace

bool is_volume_file(const std::filesystem::path& path) { return io_for(path) != nullptr; }

Volume load_volume_file(const std::filesystem::path& path) {
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

}  // namespace consilium::viewer
