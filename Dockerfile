# syntax=docker/dockerfile:1
#
# rmf-task-scheduler as a ROS 2 node, next to RMF:
#   docker build -t rmf-task-scheduler .                    (or --build-arg ROS_DISTRO=humble|kilted)
#   docker run --rm --net=host -v rmf-task-scheduler:/var/lib/rmf-task-scheduler rmf-task-scheduler
# Arguments after the image name are launch arguments (they replace the defaults in CMD):
#   docker run ... rmf-task-scheduler db_url:=sqlite:/var/lib/rmf-task-scheduler/scheduler.sqlite port:=8011
#
# Order matters (rclnodejs generates its message bindings during `npm ci`, for the interface
# packages on AMENT_PREFIX_PATH): ROS 2 + rmf_task_msgs → colcon build of this package → source
# it → npm ci (which also builds the TypeScript: the `prepare` script).

ARG ROS_DISTRO=jazzy

# --- build ----------------------------------------------------------------------------------
FROM ros:${ROS_DISTRO}-ros-base AS build
ARG ROS_DISTRO
SHELL ["/bin/bash", "-o", "pipefail", "-c"]

# Node.js 20 (NodeSource; Ubuntu's own is older), RMF's task messages, and what node-gyp needs
# should rclnodejs have to compile itself (no prebuilt binary for this distro).
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl gnupg \
 && mkdir -p /etc/apt/keyrings \
 && curl -fsSL https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key \
      | gpg --dearmor -o /etc/apt/keyrings/nodesource.gpg \
 && echo "deb [signed-by=/etc/apt/keyrings/nodesource.gpg] https://deb.nodesource.com/node_20.x nodistro main" \
      > /etc/apt/sources.list.d/nodesource.list \
 && apt-get update \
 && apt-get install -y --no-install-recommends \
      nodejs build-essential python3 \
      ros-${ROS_DISTRO}-rmf-task-msgs \
 && rm -rf /var/lib/apt/lists/*

# 1. The ROS package: interfaces, launch files, the task_scheduler executable.
WORKDIR /ws/src/rmf_task_scheduler
COPY package.xml CMakeLists.txt ./
COPY msg msg
COPY srv srv
COPY launch launch
WORKDIR /ws
RUN source /opt/ros/${ROS_DISTRO}/setup.bash \
 && colcon build --packages-select rmf_task_scheduler --cmake-args -DCMAKE_BUILD_TYPE=Release

# 2. The JavaScript, with the workspace sourced so rclnodejs sees rmf_task_msgs and our messages.
#    npm_config_yes: rclnodejs's source build runs `npx rimraf`, which asks for a TTY otherwise.
#    `npm ci` builds the TypeScript too (the `prepare` script), so the sources come first.
WORKDIR /ws/src/rmf_task_scheduler
ENV npm_config_yes=true
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY bin bin
COPY src src
COPY web web
RUN source /ws/install/setup.bash \
 && npm ci \
 && test -f dist/src/cli.js \
 && node -e "require.resolve('rclnodejs/package.json')" \
 && npx generate-ros-messages \
 && npm prune --omit=dev

# --- runtime --------------------------------------------------------------------------------
FROM ros:${ROS_DISTRO}-ros-core AS runtime
ARG ROS_DISTRO
SHELL ["/bin/bash", "-o", "pipefail", "-c"]

RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl gnupg \
 && mkdir -p /etc/apt/keyrings \
 && curl -fsSL https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key \
      | gpg --dearmor -o /etc/apt/keyrings/nodesource.gpg \
 && echo "deb [signed-by=/etc/apt/keyrings/nodesource.gpg] https://deb.nodesource.com/node_20.x nodistro main" \
      > /etc/apt/sources.list.d/nodesource.list \
 && apt-get update \
 && apt-get install -y --no-install-recommends nodejs ros-${ROS_DISTRO}-rmf-task-msgs \
 && rm -rf /var/lib/apt/lists/*

# Same paths as in the build stage: the installed executable runs /ws/src/rmf_task_scheduler's
# JavaScript, and rclnodejs's generated bindings load the typesupport from /ws/install.
COPY --from=build /ws/install /ws/install
COPY --from=build /ws/src/rmf_task_scheduler/package.json /ws/src/rmf_task_scheduler/package.json
COPY --from=build /ws/src/rmf_task_scheduler/bin /ws/src/rmf_task_scheduler/bin
COPY --from=build /ws/src/rmf_task_scheduler/dist /ws/src/rmf_task_scheduler/dist
COPY --from=build /ws/src/rmf_task_scheduler/node_modules /ws/src/rmf_task_scheduler/node_modules

# The database (SQLite by default) lives on a volume.
RUN mkdir -p /var/lib/rmf-task-scheduler
VOLUME ["/var/lib/rmf-task-scheduler"]
EXPOSE 8010

ENTRYPOINT ["/bin/bash", "-c", "source /ws/install/setup.bash && exec ros2 launch rmf_task_scheduler task_scheduler.launch.xml \"$@\"", "--"]
CMD ["host:=0.0.0.0", "db_url:=sqlite:/var/lib/rmf-task-scheduler/scheduler.sqlite"]
