"""Launch rmf_task_scheduler's node with its settings as ROS parameters.

    ros2 launch rmf_task_scheduler task_scheduler.launch.py port:=8011 timezone:=Europe/Berlin

Every setting argument is one config key of the service, passed to the node as a ROS parameter
of that name. An argument left empty (the default) is not passed: the service's config file
(RMF_TASK_SCHEDULER_CONFIG), environment or built-in default decides.
"""

from launch import LaunchDescription
from launch.actions import DeclareLaunchArgument, OpaqueFunction
from launch.substitutions import LaunchConfiguration
from launch_ros.actions import Node


def _bool(text):
    lowered = text.strip().lower()
    if lowered in ('true', '1', 'yes', 'on'):
        return True
    if lowered in ('false', '0', 'no', 'off'):
        return False
    raise ValueError(f'expected true or false, got {text!r}')


# (launch argument, ROS parameter = config key, type, description)
SETTINGS = [
    ('host', 'host', str, 'Address the REST API listens on (e.g. 0.0.0.0)'),
    ('port', 'port', int, 'Port of the REST API (default 8010)'),
    ('db_url', 'db_url', str, 'Database: sqlite:<path>, postgres://..., mysql://..., mariadb://...'),
    ('timezone', 'timezone', str, 'Default IANA time zone of rules that name none'),
    ('log_level', 'log_level', str, 'trace, debug, info, warn, error, fatal or silent'),
    ('public_url', 'public_url', str, 'URL under which the REST API is reachable from outside'),
    ('replica_id', 'replica_id', str, 'Name of this process in firing records (default host + pid)'),
    ('rmf_transport', 'rmf.transport', str, 'auto, ros or sim (the simulated dispatcher)'),
    ('dispatch_timeout_ms', 'rmf.dispatch_timeout_ms', int, "How long to wait for RMF's answer (ms)"),
    ('follow_task_states', 'rmf.follow_task_states', _bool, 'Follow task_state_update (Kilted and newer)'),
    ('qos_depth', 'rmf.qos_depth', int, 'KEEP_LAST depth of the RMF task API topics'),
    ('requester', 'rmf.requester', str, 'The requester of every task request'),
    ('cancel_withdrawn', 'rmf.cancel_withdrawn', _bool, 'Cancel a task sent ahead of time when its occurrence or rule is taken back'),
    ('follow_dispatch_states', 'rmf.follow_dispatch_states', _bool, "Record which fleet RMF's dispatcher gave each task (dispatch_states)"),
]


def _node(context):
    parameters = {}
    for argument, key, kind, _ in SETTINGS:
        value = LaunchConfiguration(argument).perform(context)
        if value != '':
            parameters[key] = kind(value)
    # ROS's own: with true, the times RMF compares with its clock are stamped in simulation time.
    use_sim_time = LaunchConfiguration('use_sim_time').perform(context)
    if use_sim_time != '':
        parameters['use_sim_time'] = _bool(use_sim_time)
    parameter_list = [parameters] if parameters else []
    params_file = LaunchConfiguration('params_file').perform(context)
    if params_file:
        parameter_list.insert(0, params_file)
    config_file = LaunchConfiguration('config_file').perform(context)
    return [
        Node(
            package='rmf_task_scheduler',
            executable='task_scheduler',
            name=LaunchConfiguration('node_name').perform(context),
            namespace=LaunchConfiguration('namespace').perform(context),
            parameters=parameter_list,
            # Each line is printed once, as the service's JSON line; ROS's copy goes to /rosout only.
            ros_arguments=['--disable-stdout-logs'],
            additional_env={'RMF_TASK_SCHEDULER_CONFIG': config_file} if config_file else None,
            output='screen',
            emulate_tty=True,
        )
    ]


def generate_launch_description():
    arguments = [
        DeclareLaunchArgument('node_name', default_value='task_scheduler', description='Name of the node'),
        DeclareLaunchArgument(
            'namespace', default_value='', description="Namespace of the node (RMF's topics resolve in it)"
        ),
        DeclareLaunchArgument('params_file', default_value='', description='A ROS parameters YAML file'),
        DeclareLaunchArgument(
            'config_file', default_value='', description='The service config module (RMF_TASK_SCHEDULER_CONFIG)'
        ),
        DeclareLaunchArgument(
            'use_sim_time',
            default_value='',
            description='true under simulation (rmf_demos): task times are stamped in /clock time',
        ),
    ]
    arguments += [
        DeclareLaunchArgument(argument, default_value='', description=f'{description} [parameter {key}]')
        for argument, key, _, description in SETTINGS
    ]
    return LaunchDescription(arguments + [OpaqueFunction(function=_node)])
