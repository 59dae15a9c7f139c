#include "vtk_bridge.h"

#include <vtkFloatArray.h>
#include <vtkPointData.h>
#include <vtkShortArray.h>

namespace consilium::viewer::vtk {

vtkSmartPointer<vtkImageData> wrap(const Volume& v) {
    auto image = vtkSmartPointer<vtkImageData>::New();
    image->SetDimensions(v.dims[0], v.dims[1], v.dims[2]);
    image->SetSpacing(1, 1, 1);
    image->SetOrigin(0, 0, 0);
    const auto n = static_cast<vtkIdType>(v.voxel_count());
    // save = 1: VTK must not free memory it does not own.
    if (v.pixel_type == PixelType::int16) {
        auto a = vtkSmartPointer<vtkShortArray>::New();
        a->SetArray(static_cast<short*>(const_cast<void*>(v.voxels->data())), n, 1);
        image->GetPointData()->SetScalars(a);
    } else {
        auto a = vtkSmartPointer<vtkFloatArray>::New();
        a->SetArray(static_cast<float*>(const_cast<void*>(v.voxels->data())), n, 1);
        image->GetPointData()->SetScalars(a);
    }
    return image;
}

vtkSmartPointer<vtkMatrix4x4> index_to_lps_matrix(const Volume& v) {
    auto m = vtkSmartPointer<vtkMatrix4x4>::New();
    for (int r = 0; r < 3; ++r) {
        for (int c = 0; c < 3; ++c) m->SetElement(r, c, v.direction[static_cast<std::size_t>(r * 3 + c)] * v.spacing_mm[static_cast<std::size_t>(c)]);
        m->SetElement(r, 3, v.origin_lps[static_cast<std::size_t>(r)]);
    }
    return m;
}

}  // namespace consilium::viewer::vtk
