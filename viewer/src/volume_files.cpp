// NIfTI, NRRD and MetaImage files: recognised here by name, read by the ITK module (volume_file.cpp).
#include "modules.h"

namespace consilium::viewer {

bool is_volume_file(const std::filesystem::path& path) {
    return modules::volume_file_format(path) != modules::VolumeFileFormat::none;
}

Volume load_volume_file(const std::filesystem::path& path) {
    if (!is_volume_file(path)) throw LoadError(path.string() + ": not a NIfTI, NRRD or MetaImage file");
    modules::VolumeFileEntry read = nullptr;
    try {
        read = reinterpret_cast<modules::VolumeFileEntry>(modules::entry_point(modules::kVolumeFiles, modules::kVolumeFilesEntry));
    } catch (const std::runtime_error& e) {
        throw LoadError(path.string() + ": " + e.what());
    }
    Volume v;
    std::string error;
    const int rc = read(path, v, error);
    if (rc == 1) throw LoadError(error);
    if (rc != 0) throw LoadError(path.string() + ": " + error);
    return v;
}

}  // namespace consilium::viewer
