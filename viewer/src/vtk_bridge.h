#pragma once
// Volumes as VTK image data without copying: the vtkImageData's scalars point at the Volume's
// voxel buffer (the Volume is kept alive by whoever holds both). The image is in index space
// (origin 0, spacing 1); matrices map it to patient coordinates.
#include "consilium/viewer/volume.h"

#include <vtkImageData.h>
#include <vtkMatrix4x4.h>
#include <vtkSmartPointer.h>

namespace consilium::viewer::vtk {

vtkSmartPointer<vtkImageData> wrap(const Volume& v);
// Index -> LPS (direction x spacing, then origin), as a 4x4 matrix.
vtkSmartPointer<vtkMatrix4x4> index_to_lps_matrix(const Volume& v);

}  // namespace consilium::viewer::vtk
