// Pinocchio's C++ twin of the robot benchmarks: for a URDF, the frame Jacobian in
// LOCAL_WORLD_ALIGNED (computeFrameJacobian: forward kinematics included) in ns per call, and a
// damped-least-squares IK iteration (kinematics, Jacobian, pose error with log3, a 6×6 LLT,
// the update) in iterations per second. The input changes every call. Prints one JSON line.
#include <pinocchio/multibody.hpp>
#include <pinocchio/algorithm/frames.hpp>
#include <pinocchio/algorithm/jacobian.hpp>
#include <pinocchio/algorithm/kinematics.hpp>
#include <pinocchio/parsers/urdf.hpp>
#include <pinocchio/spatial.hpp>
#include <time.h>
#include <cstdio>
#include <cstdlib>

static double thread_seconds() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

int main(int argc, char** argv) {
  if (argc < 4) { std::fprintf(stderr, "usage: %s URDF TIP_FRAME CALLS\n", argv[0]); return 2; }
  pinocchio::Model model;
  pinocchio::urdf::buildModel(argv[1], model);
  pinocchio::Data data(model);
  const auto frame = model.getFrameId(argv[2]);
  const long calls = std::atol(argv[3]);
  Eigen::VectorXd q = pinocchio::neutral(model);
  for (int k = 0; k < model.nq; ++k) q[k] = 0.1 + 0.05 * k;
  pinocchio::Data::Matrix6x J(6, model.nv);
  double checksum = 0;
  double start = thread_seconds();
  for (long i = 0; i < calls; ++i) {
    q[0] = 1e-6 * (double)(i % 1000);
    J.setZero();
    pinocchio::computeFrameJacobian(model, data, q, frame, pinocchio::LOCAL_WORLD_ALIGNED, J);
    checksum += J(0, 0);
  }
  const double jacobian_ns = (thread_seconds() - start) / calls * 1e9;
  // DLS IK toward a fixed pose near the start.
  pinocchio::framesForwardKinematics(model, data, q);
  pinocchio::SE3 goal = data.oMf[frame];
  goal.translation()[0] += 0.05;
  const double lambda = 0.05;
  Eigen::Matrix<double, 6, 6> A;
  Eigen::Matrix<double, 6, 1> e;
  start = thread_seconds();
  for (long i = 0; i < calls; ++i) {
    pinocchio::computeFrameJacobian(model, data, q, frame, pinocchio::LOCAL_WORLD_ALIGNED, J);
    const pinocchio::SE3& current = data.oMf[frame];
    e.head<3>() = goal.translation() - current.translation();
    e.tail<3>() = current.rotation() * pinocchio::log3(current.rotation().transpose() * goal.rotation());
    A.noalias() = J * J.transpose();
    A.diagonal().array() += lambda * lambda;
    q.noalias() += J.transpose() * A.llt().solve(e);
    checksum += q[0];
  }
  const double ik_rate = calls / (thread_seconds() - start);
  std::printf("{\"jacobian_ns\": %.3f, \"ik_per_second\": %.1f, \"checksum\": %.17g}\n", jacobian_ns, ik_rate, checksum);
  return 0;
}
